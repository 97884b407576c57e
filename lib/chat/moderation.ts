/**
 * The presenter's decisions for one room's chat, kept for as long as the room
 * lives: which messages were deleted and who was muted. A participant id is
 * per connection, so a mute also holds the participant's display name: a
 * muted viewer whose connection drops and comes back under the same name
 * stays muted. Pure.
 */
export class Moderation {
  #mutedIds = new Set<string>();
  #mutedNames = new Set<string>();
  #deleted = new Set<string>();

  /** Mutes a participant (and its name) for the rest of the room's life. */
  mute(participant: string, name?: string): void {
    this.#mutedIds.add(participant);
    if (name !== undefined) this.#mutedNames.add(fold(name));
  }

  isMuted(participant: string, name: string): boolean {
    return this.#mutedIds.has(participant) || this.#mutedNames.has(fold(name));
  }

  /** Records a deletion; false when the message was already deleted. */
  markDeleted(id: string): boolean {
    if (this.#deleted.has(id)) return false;
    this.#deleted.add(id);
    return true;
  }

  isDeleted(id: string): boolean {
    return this.#deleted.has(id);
  }
}

function fold(name: string): string {
  return name.trim().toLowerCase();
}
