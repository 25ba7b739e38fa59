// An in-memory DomainHoldStore with the table's conditional semantics, for connector unit tests
// (test/integration/adapters/dynamodb/domain-holds.test.ts checks the DynamoDB one against it).
import type { DomainHold, DomainHoldStore } from '../../functions/core/domain-holds.js';

export class MemoryDomainHolds implements DomainHoldStore {
  readonly records = new Map<string, { added: boolean; holders: Set<string> }>();

  private read(listId: string, domain: string): DomainHold | undefined {
    const record = this.records.get(`${listId}#${domain}`);
    return record && { added: record.added, holders: [...record.holders].sort() };
  }

  async join(listId: string, domain: string, actionId: string) {
    this.records.get(`${listId}#${domain}`)?.holders.add(actionId);
    return this.read(listId, domain);
  }

  async create(listId: string, domain: string, actionId: string, added: boolean) {
    const key = `${listId}#${domain}`;
    if (this.records.has(key)) return false;
    this.records.set(key, { added, holders: new Set([actionId]) });
    return true;
  }

  async markAdded(listId: string, domain: string) {
    const record = this.records.get(`${listId}#${domain}`);
    if (record) record.added = true;
  }

  async leave(listId: string, domain: string, actionId: string) {
    this.records.get(`${listId}#${domain}`)?.holders.delete(actionId);
    return this.read(listId, domain);
  }

  async release(listId: string, domain: string) {
    const key = `${listId}#${domain}`;
    if ((this.records.get(key)?.holders.size ?? 0) > 0) return false;
    this.records.delete(key);
    return true;
  }
}
