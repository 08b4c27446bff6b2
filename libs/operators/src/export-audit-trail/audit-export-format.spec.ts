import { csvCell } from './audit-export-format';

describe('audit CSV cells', () => {
  it('quotes separators and quotes, and defuses spreadsheet formulas', () => {
    expect(csvCell('partner is back')).toBe('partner is back');
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell({ client: 'MLSP/pensions' })).toBe('"{""client"":""MLSP/pensions""}"');
    expect(csvCell(null)).toBe('');
  });
});
