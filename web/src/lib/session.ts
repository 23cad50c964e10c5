import { useSyncExternalStore } from 'react';
import { getSession, onSessionChange, type Face, type Session } from './api.ts';

const raw = (face: Face) => () => localStorage.getItem(`xiaodian.session.${face}`);

/** The signed-in session of a face, re-rendering on sign-in and sign-out. */
export function useSession(face: Face): Session | null {
  useSyncExternalStore(onSessionChange, raw(face));
  return getSession(face);
}
