// Text cut to a stored or shown limit.

/** The first `max` characters of `text`, followed by `marker` when anything was cut. */
export function clip(text: string, max: number, marker = ''): string {
  return text.length > max ? `${text.slice(0, max)}${marker}` : text;
}
