// SPDX-License-Identifier: Apache-2.0
/** What the relay process and the load generators must agree on. */

/** Signs the peers' tokens; only ever used on loopback for the length of a run. */
export const secret = 'bench-secret-0123456789-0123456789-abcdef';

/** The hospital page the survivors' widget would be embedded in (sent as the Origin header). */
export const origin = 'https://hospital.example';
