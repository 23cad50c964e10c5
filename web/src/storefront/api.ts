import { client } from '../lib/api.ts';

export const api = client('buyer');
