import { describe, expect, test } from '@jest/globals';
import { truncateMiddle } from '../../../web/src/common/truncate.js';

describe('truncateMiddle', () => {
  test('leaves text that fits as it is', () => {
    expect(truncateMiddle('C:\\Temp\\a.exe', 40)).toBe('C:\\Temp\\a.exe');
  });

  test('cuts a long path in the middle and keeps the file name whole', () => {
    // Prepare
    const path = 'C:\\Users\\ana\\AppData\\Local\\Temp\\Downloads\\payroll-dropper.exe';

    // Act
    const shown = truncateMiddle(path, 32);

    // Assess
    expect(shown).toHaveLength(32);
    expect(shown.endsWith('\\payroll-dropper.exe')).toBe(true);
    expect(shown.startsWith('C:\\Users')).toBe(true);
    expect(shown).toContain('…');
  });

  test('splits evenly when the file name alone is too long', () => {
    const shown = truncateMiddle(`/tmp/${'x'.repeat(30)}y.bin`, 12);
    expect(shown).toBe('/tmp/…xy.bin');
  });
});
