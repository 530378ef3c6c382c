const MAX_FILE_NAME = 200;

/** File name endings by content type, for photos sent without a usable name. */
const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/heic-sequence': 'heics',
  'image/heif-sequence': 'heifs',
  'application/pdf': 'pdf',
};

/**
 * The client's file name, made safe to keep as metadata and to show: no folders, no control or
 * bidirectional-override characters, at most 200 characters (the extension kept). It never
 * names a file on disk. Empty: `<kind>.<extension of the content>`.
 */
export function sanitiseFileName(original: string | undefined, kind: string, contentType: string): string {
  const base = (original ?? '').split(/[\\/]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    // C0/C1 controls, DEL, and the invisible bidi controls used to disguise extensions.
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (!name) return `${kind}.${EXTENSIONS[contentType] ?? 'bin'}`;
  const chars = [...name];
  if (chars.length > MAX_FILE_NAME) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 16 ? [...name.slice(dot)] : [];
    name = chars.slice(0, MAX_FILE_NAME - extension.length).join('') + extension.join('');
  }
  return name;
}

/**
 * The name a photo is downloaded under: `<act number>-<kind>-<n>.<ext>` (n counts the act's
 * photos of that kind from 1, oldest first), the extension that of the detected content type.
 * Nothing of the uploader's name or extension: a JPEG sent as `a.html` or `photo.jpg.hta` must
 * not be saved as one.
 */
export function downloadFileName(actNumber: string, kind: string, ordinal: number, contentType: string): string {
  return `${actNumber}-${kind}-${ordinal}.${EXTENSIONS[contentType] ?? 'bin'}`;
}

/**
 * `Content-Disposition: attachment` for a file name (RFC 6266): an ASCII fallback in
 * `filename` and the exact name, UTF-8 percent-encoded, in `filename*` (RFC 8187).
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
