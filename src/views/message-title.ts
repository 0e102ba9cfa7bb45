import type { Message } from '../ir/types.js';

/** How every diagram titles a message: its label, with the protocol code if it has one ("Client Hello (1)"). */
export function messageTitle(message: Message): string {
  return message.code === undefined ? message.label : `${message.label} (${message.code})`;
}
