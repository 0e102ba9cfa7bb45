import type { Message } from '../ir/types.js';

/** How every diagram titles a message: its number, its label, and the protocol code if it has one ("2.1 Client Hello (1)"). */
export function messageTitle(message: Message): string {
  const title = message.code === undefined ? message.label : `${message.label} (${message.code})`;
  return message.number === undefined ? title : `${message.number} ${title}`;
}
