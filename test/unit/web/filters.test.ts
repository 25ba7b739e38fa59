import { filtersOf } from '../../../web/src/actions/filter-query.js';

describe("the property filter's tokens as the API's list filters", () => {
  it('sends several values of one property joined by commas, so any of them matches', () => {
    // Prepare
    const query = {
      operation: 'and' as const,
      tokens: [
        { propertyKey: 'severity', operator: '=', value: 'critical' },
        { propertyKey: 'severity', operator: '=', value: 'high' },
        { propertyKey: 'type', operator: '=', value: 'quarantineFile' },
        { propertyKey: 'severity', operator: '=', value: 'critical' },
      ],
    };

    // Act
    const { filters, ignored } = filtersOf(query);

    // Assess
    expect(filters).toEqual({ severity: 'critical,high', type: 'quarantineFile' });
    expect(ignored).toEqual([]);
  });

  it('takes a token holding several values, keeps one value as before, and joins free text', () => {
    // Act
    const { filters } = filtersOf({
      operation: 'and',
      tokens: [
        { propertyKey: 'category', operator: '=', value: ['email', 'endpoint'] },
        { propertyKey: 'source', operator: '=', value: 'Manual' },
        { operator: ':', value: 'FIN-LT' },
        { operator: ':', value: '042' },
      ],
    });

    // Assess
    expect(filters).toEqual({ category: 'email,endpoint', source: 'Manual', q: 'FIN-LT 042' });
  });

  it('says which tokens it cannot apply instead of sending them', () => {
    // Act
    const { filters, ignored } = filtersOf({
      operation: 'and',
      tokens: [
        { propertyKey: 'severity', operator: '!=', value: 'low' },
        { propertyKey: 'severity', operator: '=', value: 'urgent' },
      ],
    });

    // Assess
    expect(filters).toEqual({});
    expect(ignored).toEqual([
      'Severity != low (only "=" is supported)',
      'Severity = urgent (not a known value)',
    ]);
  });
});
