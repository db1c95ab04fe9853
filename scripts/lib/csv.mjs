// @ts-check
// RFC 4180 CSV for the Node scripts: quoted fields may hold commas, doubled quotes and newlines;
// rows end at LF, CRLF or a lone CR.

/**
 * The rows of `text`, at most `limit` of them.
 * @param {string} text
 * @param {number} [limit]
 * @returns {string[][]}
 */
export function parseCsv(text, limit = Infinity) {
  /** @type {string[][]} */
  const rows = [];
  /** @type {string[]} */
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < limit; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      (row.push(field), rows.push(row), (row = []), (field = ''));
    } else field += c;
  }
  if ((field || row.length) && rows.length < limit) (row.push(field), rows.push(row));
  return rows;
}
