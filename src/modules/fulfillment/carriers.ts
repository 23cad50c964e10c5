/**
 * Carriers we accept tracking numbers for. A real carrier integration (快递100-style
 * subscription) implements `CarrierTracking`; the bundled sandbox carrier emits a plausible
 * tracking history on a schedule so demos and tests see parcels move.
 */
export interface CarrierInfo {
  code: string;
  name_zh: string;
  name_en: string;
  tracking_pattern: RegExp;
}

export const CARRIERS: readonly CarrierInfo[] = [
  { code: 'SF', name_zh: '顺丰速运', name_en: 'SF Express', tracking_pattern: /^SF\d{12,13}$/ },
  { code: 'ZTO', name_zh: '中通快递', name_en: 'ZTO Express', tracking_pattern: /^\d{12,15}$/ },
  { code: 'YTO', name_zh: '圆通速递', name_en: 'YTO Express', tracking_pattern: /^YT\d{13}$/ },
  { code: 'STO', name_zh: '申通快递', name_en: 'STO Express', tracking_pattern: /^\d{12,15}$/ },
  { code: 'YD', name_zh: '韵达快递', name_en: 'Yunda Express', tracking_pattern: /^\d{13,15}$/ },
  { code: 'JD', name_zh: '京东物流', name_en: 'JD Logistics', tracking_pattern: /^JD[A-Z0-9]{10,16}$/ },
  { code: 'EMS', name_zh: '中国邮政EMS', name_en: 'China Post EMS', tracking_pattern: /^[A-Z]{2}\d{9}CN$|^\d{13}$/ },
  { code: 'SANDBOX', name_zh: '沙箱快递', name_en: 'Sandbox carrier', tracking_pattern: /^SBX[A-Z0-9]{6,20}$/ },
];

export function carrierByCode(code: string): CarrierInfo | undefined {
  return CARRIERS.find((c) => c.code === code);
}

export type TrackingStatus = 'shipped' | 'picked_up' | 'in_transit' | 'out_for_delivery' | 'delivered';

/** Receives tracking updates for a shipment; `schedule` plans the next poll/simulated event. */
export interface CarrierTracking {
  /** The planned tracking events (offset from shipment in ms) for a new shipment. */
  plan(shipment: { carrier: string; tracking_no: string; province: string | null }): { after_ms: number; status: TrackingStatus; description: string; location: string | null }[];
}

const HOUR = 3_600_000;

/**
 * Every carrier code is simulated by the sandbox until a real tracking integration is
 * configured: picked up after 2 h, in transit after 12 h, out for delivery after 36 h,
 * delivered after 48 h.
 */
export const sandboxTracking: CarrierTracking = {
  plan({ carrier, province }) {
    const name = carrierByCode(carrier)?.name_zh ?? carrier;
    const to = province ?? '目的地';
    return [
      { after_ms: 2 * HOUR, status: 'picked_up', description: `【${name}】快递员已揽收`, location: '发货地' },
      { after_ms: 12 * HOUR, status: 'in_transit', description: `【${name}】快件已发往${to}转运中心`, location: '转运中心' },
      { after_ms: 36 * HOUR, status: 'out_for_delivery', description: `【${name}】快件正在派送中`, location: to },
      { after_ms: 48 * HOUR, status: 'delivered', description: `【${name}】快件已签收，感谢使用`, location: to },
    ];
  },
};
