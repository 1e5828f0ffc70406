/**
 * Broker accounts the platform manages itself, for a broker that keeps its own (mosquitto's
 * dynamic security plugin, a cluster's auth database). The embedded broker needs none: it asks the
 * store. A Thing's account is made when it enrols, the only moment its secret is known in clear.
 */
export interface BrokerAccounts {
  /** Makes (or replaces) each Thing's account, with the ACLs of access.ts. */
  addThings(things: Array<{ thingId: string; secret: string }>): Promise<void>;
  removeThing(thingId: string): Promise<void>;
}
