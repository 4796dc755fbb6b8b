// SPDX-License-Identifier: Apache-2.0
/**
 * The peer console's own strings (see `strings.ts`, whose shared strings the console uses
 * too). A module of its own so the survivor's frame, which shares a chunk with the console,
 * does not carry them.
 */
export const consoleStrings = {
  consoleHeading: 'Kindred peer console',
  peerToken: 'Peer token',
  signIn: 'Sign in',
  signedInAs: (name: string) => `Signed in as ${name}`,
  onDuty: 'You are on duty.',
  offDuty: 'You are off duty.',
  connectionDropped: 'Your connection was lost for too long, so your chats ended.',
  backOnDuty: 'You are on duty again.',
  sessionEnded: 'Your session has ended. Sign in again with your link to go on duty.',
  signOut: 'Sign out',
  signedOut: 'You signed out.',
  survivorAway: (name: string) => `${name}'s connection dropped. Your messages will be delivered if they come back.`,
  awayShort: 'connection dropped',
  notDeliveredTo: (name: string) => `A message to ${name} was not delivered. Press Retry to send it again.`,
  goOnDuty: 'Go on duty',
  goOffDuty: 'Go off duty',
  waiting: (total: number) => `Waiting (${total})`,
  nobodyWaiting: 'Nobody is waiting.',
  waitedFor: (minutes: number) =>
    minutes < 1 ? 'waiting less than a minute' : minutes === 1 ? 'waiting 1 minute' : `waiting ${minutes} minutes`,
  acceptShort: 'Accept',
  activeChats: 'Your chats',
  noChats: 'No chats yet.',
  unreadShort: (count: number) => (count === 1 ? '1 unread' : `${count} unread`),
  chatEndedShort: 'ended',
  chatWith: (survivorName: string) => `Chat with ${survivorName}`,
  close: 'Close',
  resource: 'Resource',
  share: 'Share',
  shareResources: 'Share resources',
  survivorEnded: {
    'survivor-ended': (name: string) => `${name} ended the chat.`,
    'survivor-left': (name: string) => `${name}'s connection was lost.`,
    'peer-ended': () => 'You ended the chat.',
    'peer-left': () => 'Your connection was lost, so the chat ended.',
    'relay-closing': () => 'The chat service is restarting.',
  },
} as const;
