// SPDX-License-Identifier: Apache-2.0
export * from './ack.js';
export * from './codes.js';
export * from './events.js';
export * from './limits.js';
export * from './schemas.js';
export * from './strings.js';
