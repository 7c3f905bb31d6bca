import { followTopic, type AppPubSub } from '../pubsub/pubsub';

/**
 * Acts on every API_KEY_REVOKED event, from this instance or any other (the PubSub carries it
 * across instances with Redis): `onRevoked` drops the key from the lookup cache and closes its
 * sockets. Answers once it listens, and a `stop`.
 */
export function followRevocations(pubsub: AppPubSub, onRevoked: (keyId: string) => void): { stop(): Promise<void> } {
  return followTopic(pubsub, 'API_KEY_REVOKED', (event) => onRevoked(event.keyId));
}
