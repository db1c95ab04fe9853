// A progress bar on stderr (counts, rate, ETA): redrawn on a terminal, every 10% otherwise.
export class Progress {
  constructor(label, total, unit = '') {
    Object.assign(this, { label, total, unit, n: 0, t0: Date.now(), last: 0, decile: -1 });
    this.tty = process.stderr.isTTY;
  }
  update(n) {
    this.n = n;
    const decile = this.total ? Math.floor((10 * n) / this.total) : 0;
    const now = Date.now();
    if (this.tty ? now - this.last < 100 : decile <= this.decile) return;
    this.last = now;
    this.decile = decile;
    this.draw(false);
  }
  done() {
    this.draw(true);
  }
  draw(final) {
    const secs = (Date.now() - this.t0) / 1000;
    const f = this.total ? Math.min(1, this.n / this.total) : 0;
    const bar = '#'.repeat(Math.round(f * 24)).padEnd(24);
    const eta = this.n ? secs * (this.total / this.n - 1) : 0;
    const fmt = (v) => v.toLocaleString('en-US');
    const line =
      `  ${this.label} [${bar}] ${fmt(this.n)}/${fmt(this.total)}${this.unit} ` +
      `${Math.round(f * 100)}% ${secs.toFixed(1)}s` +
      (final ? '' : ` ETA ${Math.round(eta)}s`);
    process.stderr.write(this.tty ? `\r\x1b[K${line}${final ? '\n' : ''}` : `${line}\n`);
  }
}
