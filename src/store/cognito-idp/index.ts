export type * from './branding.js';
export type * from './devices.js';
export type * from './records.js';
export { newUserRecord } from './records.js';
export { SqliteIdpStore } from './sqlite/idpStore.js';
export { SqliteOutbox } from './sqlite/outbox.js';
export type * from './store.js';
export type * from './webauthn.js';
