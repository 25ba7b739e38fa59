// Shortening long names for narrow cells: a path keeps its end, where the file name is.

const ELLIPSIS = '…';

/**
 * `text` at most `max` characters long, cut in the middle so that the start and, preferably, the
 * whole last path segment (the file name) stay readable.
 */
export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return ELLIPSIS.slice(0, max);
  const room = max - ELLIPSIS.length;
  const lastSeparator = Math.max(text.lastIndexOf('\\'), text.lastIndexOf('/'));
  const name = lastSeparator >= 0 ? text.slice(lastSeparator) : '';
  // The file name whole when it leaves a few characters of the start; else an even split.
  const tail = name && name.length <= room - 3 ? name.length : Math.ceil(room / 2);
  return `${text.slice(0, room - tail)}${ELLIPSIS}${text.slice(text.length - tail)}`;
}
