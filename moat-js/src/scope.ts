import { ResourcePattern, clip } from "./resources.js";

/** The action that stands for every action. */
export const ANY_ACTION = "*";
export const MAX_ACTIONS = 32;
const ACTION = /^(\*|[a-z][a-z0-9_.-]{0,63})$/;

/** A scope as a caller writes it: a pattern and the actions it names. */
export interface ScopeInput {
  readonly resource: string;
  readonly actions: readonly string[];
}

/**
 * One grant or denial, as moat-core's `Scope`: a resource pattern and its actions, sorted and
 * without duplicates (the canonical form).
 */
export class Scope {
  /** The pattern text. */
  readonly resource: string;
  /** The actions, sorted ascending, without duplicates. */
  readonly actions: readonly string[];
  readonly pattern: ResourcePattern;

  private constructor(pattern: ResourcePattern, actions: readonly string[]) {
    this.pattern = pattern;
    this.resource = pattern.text;
    this.actions = actions;
  }

  /** Validates a pattern and actions; throws RangeError naming the problem. */
  static of(resource: string, actions: readonly string[]): Scope {
    return Scope.from(ResourcePattern.parse(resource), actions);
  }

  /** A scope from an already parsed pattern. */
  static from(pattern: ResourcePattern, actions: readonly string[]): Scope {
    if (!Array.isArray(actions) || actions.length === 0) {
      throw new RangeError("a scope needs at least one action");
    }
    if (actions.length > MAX_ACTIONS) {
      throw new RangeError(`a scope has at most ${MAX_ACTIONS} actions`);
    }
    for (const a of actions) {
      if (typeof a !== "string" || !ACTION.test(a)) {
        throw new RangeError(`invalid action: ${clip(a)}`);
      }
    }
    const sorted = [...new Set(actions)].sort();
    return new Scope(pattern, Object.freeze(sorted));
  }

  /** True when this scope names `action` (or every action). */
  hasAction(action: string): boolean {
    for (const a of this.actions) {
      if (a === action || a === ANY_ACTION) {
        return true;
      }
    }
    return false;
  }

  /** True when `resource` (in normal form) and `action` fall inside this scope. */
  matches(resource: string, action: string): boolean {
    return this.hasAction(action) && resource.length > 0 && this.pattern.matches(resource);
  }

  /** True when every (resource, action) pair of `narrower` is inside this scope. */
  covers(narrower: Scope): boolean {
    if (!this.pattern.covers(narrower.pattern)) {
      return false;
    }
    if (this.actions.includes(ANY_ACTION)) {
      return true;
    }
    return !narrower.actions.includes(ANY_ACTION) && narrower.actions.every((a) => this.actions.includes(a));
  }

  /** Same pattern text and the same actions. */
  equals(other: Scope): boolean {
    return this.resource === other.resource && this.actions.length === other.actions.length &&
      this.actions.every((a, i) => a === other.actions[i]);
  }

  toJSON(): { actions: string[]; resource: string } {
    return { actions: [...this.actions], resource: this.resource };
  }
}
