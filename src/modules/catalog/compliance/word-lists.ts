/**
 * Curated word lists, as data. Matching is done after NFKC + lower-case with separators
 * removed (see normalize.ts), so entries are written once in their plain form.
 * A banned hit that lies inside an `allowed` phrase is ignored; that is how legitimate
 * compounds (最新, 第一次, 象牙白, 100%纯棉) escape without special-case code.
 * Extend per deployment with `rules.extraBannedWords` / `rules.extraAllowedPhrases`.
 */
import type { WordList, WordListName } from './compliance.types.ts';

/**
 * Absolute/superlative claims, banned in advertising by 广告法 art. 9(3)
 * ("使用'国家级'、'最高级'、'最佳'等用语"). The bare "最" catches the open-ended family
 * (最强, 最便宜, 最畅销 …); the longer entries exist so a finding names the whole phrase.
 */
export const ABSOLUTE_CLAIM_WORDS: WordList = {
  banned: [
    '最', '最佳', '最好', '最优', '最强', '最高', '最低', '最大', '最小', '最先进', '最便宜',
    '最低价', '最畅销', '最受欢迎', '全网最低', '全网第一', '第一', '第一品牌', '首个', '首家',
    '首选', '独家', '国家级', '世界级', '全球级', '宇宙级', '顶级', '顶尖', '极品', '极致',
    '绝对', '唯一', '独一无二', '绝无仅有', '史无前例', '前无古人', '100%', '百分百', '百分之百',
    '万能', '王牌', '销量冠军', '销冠', 'no.1', 'top1',
  ],
  allowed: [
    // Time and order words, not claims. 最新 ("latest model") follows common platform practice.
    '最近', '最新', '最后', '最初', '最终',
    // Quantity limits ("每人最多限购2件", "最少起订").
    '最多可', '最多限', '最多购买', '最少购买', '最少起',
    // Objective technical parameters (SAMR treats these as descriptions, not comparisons).
    '最大承重', '最大载重', '最大负载', '最大功率', '最大容量', '最大输出', '最大电流', '最大电压',
    '最大转速', '最大压力', '最大尺寸', '最大长度', '最大宽度', '最大高度', '最大直径', '最大开口',
    '最大行程', '最高温度', '最低温度', '最高转速', '最高时速', '最高车速', '最高气温', '最低气温',
    '最小尺寸', '最小直径',
    // Ordinals ("第一次使用", "第一件半价", "第一代").
    '第一次', '第一批', '第一步', '第一天', '第一代', '第一期', '第一件', '第一层', '第一季', '第一口',
    // Fibre content labels are mandatory (GB/T 29862) and written as percentages.
    '100%棉', '100%纯棉', '100%羊毛', '100%纯羊毛', '100%羊绒', '100%桑蚕丝', '100%真丝', '100%亚麻',
    '100%涤纶', '100%聚酯纤维', '100%锦纶', '100%粘纤', '100%莫代尔', '100%天丝',
    // Product names.
    '万能胶', '万能表', '绝对值',
  ],
};

/** Medical/efficacy claims; allowed only where the category says so (pharmacy, devices). */
export const MEDICAL_CLAIM_WORDS: WordList = {
  banned: [
    '治疗', '治愈', '治病', '药到病除', '根治', '包治', '抗癌', '防癌', '降血压', '降血糖', '降血脂',
    '降三高', '消炎', '抗炎', '止痛', '镇痛', '疗效', '药效', '防治', '防病', '排毒', '抗病毒',
    '增强免疫力', '提高免疫力', '壮阳', '补肾', '延年益寿', '活血化瘀', '减肥',
  ],
  allowed: ['病虫害防治', '防治病虫害', '防治虫害'],
};

/** Items that may not be sold at all (weapons, drugs, spy gear, fake invoices, wildlife, tobacco). */
export const PROHIBITED_ITEM_WORDS: WordList = {
  banned: [
    '枪支', '枪械', '手枪', '步枪', '猎枪', '冲锋枪', '仿真枪', '弹药', '子弹', '炸药', '雷管',
    '管制刀具', '弹簧刀', '三棱刀', '毒品', '冰毒', '海洛因', '摇头丸', '大麻', 'k粉', '迷药',
    '迷幻药', '听话水', '催情药', '窃听器', '针孔摄像', '假发票', '代开发票', '发票代开', '假证',
    '象牙', '犀牛角', '虎骨', '熊胆', '穿山甲', '香烟', '卷烟', '电子烟', '烟弹',
  ],
  allowed: [
    '子弹杯', '子弹头', '弹药箱', '手枪钻', '大麻绳', '毒品检测', '香烟盒', '香烟收纳',
    '象牙白', '象牙色', '象牙黄', '象牙瓷', '象牙塔',
  ],
};

/** Explicit counterfeit slang: blocks wherever it appears. */
export const COUNTERFEIT_HINT_WORDS: WordList = {
  banned: ['高仿', 'a货', '原单', '精仿', '仿品', '仿牌', '超a', '1比1'],
  allowed: [],
};

/**
 * Weaker hints that are only counterfeit signals next to another brand's name
 * ("香奈儿同款", "大牌平替"); on their own ("明星同款") they are ordinary marketing.
 */
export const COUNTERFEIT_CONTEXT_WORDS: WordList = {
  banned: ['同款', '平替', '复刻', '专柜', '代工', '尾单', '原厂', '正品'],
  allowed: [],
};

export const WORD_LISTS: Readonly<Record<WordListName, WordList>> = {
  absolute_claim: ABSOLUTE_CLAIM_WORDS,
  medical_claim: MEDICAL_CLAIM_WORDS,
  prohibited_item: PROHIBITED_ITEM_WORDS,
  counterfeit_hint: COUNTERFEIT_HINT_WORDS,
  counterfeit_context: COUNTERFEIT_CONTEXT_WORDS,
};

/** Words just before another brand's name that mark an accessory's compatibility ("适用于iPhone"). */
export const COMPATIBILITY_MARKERS: readonly string[] = ['适用', '兼容', '适配', '专用于', 'for'];

/** Brand values that mean "no brand" (common picker options), treated like `brand: null`. */
export const NO_BRAND_VALUES: readonly string[] = ['无品牌', '无', '其他', '其它', 'other', 'none', 'nobrand'];
