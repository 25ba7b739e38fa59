// Who holds a blocked domain: the actions whose blockUrl completed on it, and whether the Action
// Center added it to the list (or found it there). Undo removes a domain only when the Action
// Center added it and no other action still holds it.

export interface DomainHold {
  /** True when the Action Center added the domain; false when it was listed before. */
  added: boolean;
  /** The ids of the actions that hold the block. */
  holders: string[];
}

/** The reference records, one per domain list and domain; every write is conditional. */
export interface DomainHoldStore {
  /** Adds the action to the domain's holders; undefined when no record exists yet. */
  join(listId: string, domain: string, actionId: string): Promise<DomainHold | undefined>;
  /** Creates the record held by the action alone; false when another writer created it first. */
  create(listId: string, domain: string, actionId: string, added: boolean): Promise<boolean>;
  /** Marks the domain as added by the Action Center (it was gone when a holder joined). */
  markAdded(listId: string, domain: string): Promise<void>;
  /** Removes the action from the holders: the record as it is afterwards, undefined when none. */
  leave(listId: string, domain: string, actionId: string): Promise<DomainHold | undefined>;
  /** Deletes the record if nobody holds it; false when a holder joined meanwhile. */
  release(listId: string, domain: string): Promise<boolean>;
}

export type UnblockDecision = 'remove' | 'keepForOthers' | 'keepListedBefore' | 'keepUnrecorded';

/** What undo does with the domain, once the action left the record. */
export function unblockDecision(hold: DomainHold | undefined): UnblockDecision {
  if (!hold) return 'keepUnrecorded';
  if (hold.holders.length > 0) return 'keepForOthers';
  return hold.added ? 'remove' : 'keepListedBefore';
}
