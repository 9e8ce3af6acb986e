/**
 * Terminal output made readable as plain text (the VM console, boot logs): colour and cursor escape sequences
 * removed, carriage-return redraws reduced to the last state of the line, other control characters dropped.
 * For a display that only knows text; xterm.js is the place for a live terminal.
 */
// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), and two-byte escapes (ESC followed by one character).
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function stripAnsi(text: string): string {
  return text
    .replace(ESCAPES, '')
    .split('\n')
    .map((line) => {
      // "50%\r75%\r100%" shows as its last redraw; a trailing \r (CRLF) is just the line end.
      const parts = line.replace(/\r+$/, '').split('\r');
      return parts[parts.length - 1];
    })
    .join('\n')
    .replace(CONTROLS, '');
}
