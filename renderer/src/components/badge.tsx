// A state badge: colour and a word, never colour alone.
import type { Tone } from "../view-model";

export function Badge({ tone, word, testId }: { tone: Tone; word: string; testId?: string }) {
  return (
    <span className={`badge tone-${tone}`} data-testid={testId}>
      <span className="dot" aria-hidden="true" />
      {word}
    </span>
  );
}
