import { attachmentDisposition, sanitiseFileName } from './file-name';

describe('photo file names', () => {
  it('keeps only the last path segment and drops control and bidi characters', () => {
    expect(sanitiseFileName('C:\\Users\\sc\\..\\шильдик.jpg', 'nameplate', 'image/jpeg')).toBe('шильдик.jpg');
    expect(sanitiseFileName('../../etc/passwd', 'other', 'application/pdf')).toBe('passwd');
    expect(sanitiseFileName('a\u0000b\r\nc\u202Egpj.exe', 'other', 'image/png')).toBe('abcgpj.exe');
    expect(sanitiseFileName('..hidden.png', 'other', 'image/png')).toBe('hidden.png');
  });

  it('names a nameless file by its kind and content type', () => {
    expect(sanitiseFileName(undefined, 'receipt', 'application/pdf')).toBe('receipt.pdf');
    expect(sanitiseFileName(' /\u0007 ', 'part', 'image/jpeg')).toBe('part.jpg');
  });

  it('limits the length to 200 characters and keeps the extension', () => {
    const name = sanitiseFileName(`${'я'.repeat(500)}.jpeg`, 'breakage', 'image/jpeg');
    expect([...name]).toHaveLength(200);
    expect(name.endsWith('я.jpeg')).toBe(true);
  });

  it('builds an RFC 6266 attachment header with an ASCII fallback and a UTF-8 name', () => {
    expect(attachmentDisposition('шильдик "1".jpg')).toBe(
      `attachment; filename="_______ _1_.jpg"; filename*=UTF-8''%D1%88%D0%B8%D0%BB%D1%8C%D0%B4%D0%B8%D0%BA%20%221%22.jpg`,
    );
    expect(attachmentDisposition("it's (1)*.png")).toBe(`attachment; filename="it's (1)*.png"; filename*=UTF-8''it%27s%20%281%29%2A.png`);
  });
});
