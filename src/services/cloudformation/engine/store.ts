/**
 * Where the engine keeps its stacks and change sets: in memory, written atomically to one JSON file under the data
 * dir after each step (a restart keeps deployed stacks; change sets in review are kept too). Deleted stacks stay
 * listed (ListStacks shows DELETE_COMPLETE) under their stack id, as in AWS.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ChangeSet, Stack } from './types.js';

interface Saved {
  stacks: Stack[];
  changeSets: ChangeSet[];
}

/** Events kept per stack (the oldest go first). */
const MAX_EVENTS = 2000;

export class StackStore {
  readonly #stacks = new Map<string, Stack>();
  readonly #changeSets = new Map<string, ChangeSet>();

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Saved;
      for (const s of saved.stacks) this.#stacks.set(s.stackId, s);
      for (const c of saved.changeSets) this.#changeSets.set(c.id, c);
    }
  }

  /** The live (not deleted) stack with this name or id; a stack id also finds a deleted stack. */
  find(nameOrId: string): Stack | undefined {
    const byId = this.#stacks.get(nameOrId);
    if (byId) return byId;
    return [...this.#stacks.values()].find((s) => s.stackName === nameOrId && s.status !== 'DELETE_COMPLETE');
  }

  all(): Stack[] {
    return [...this.#stacks.values()];
  }

  live(): Stack[] {
    return this.all().filter((s) => s.status !== 'DELETE_COMPLETE');
  }

  add(stack: Stack): void {
    this.#stacks.set(stack.stackId, stack);
    this.save();
  }

  remove(stackId: string): void {
    this.#stacks.delete(stackId);
    for (const c of this.#changeSets.values()) if (c.stackId === stackId) this.#changeSets.delete(c.id);
    this.save();
  }

  changeSet(nameOrId: string, stack?: Stack): ChangeSet | undefined {
    const byId = this.#changeSets.get(nameOrId);
    if (byId) return byId;
    if (!stack) return undefined;
    return [...this.#changeSets.values()].find((c) => c.stackId === stack.stackId && c.name === nameOrId);
  }

  changeSetsOf(stackId: string): ChangeSet[] {
    return [...this.#changeSets.values()].filter((c) => c.stackId === stackId);
  }

  putChangeSet(c: ChangeSet): void {
    this.#changeSets.set(c.id, c);
    this.save();
  }

  deleteChangeSet(id: string): void {
    this.#changeSets.delete(id);
    this.save();
  }

  save(): void {
    for (const s of this.#stacks.values()) {
      if (s.events.length > MAX_EVENTS) s.events.splice(0, s.events.length - MAX_EVENTS);
    }
    if (!this.file) return;
    const saved: Saved = { stacks: this.all(), changeSets: [...this.#changeSets.values()] };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(saved), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
