// The query bar's small grammar, parsed into an AST both the UI (instant error messages) and
// the main process (SQL) use:
//   expr   := and ('or' and)*
//   and    := unary ('and' unary)*
//   unary  := 'not' unary | '(' expr ')' | field op value | field op field | field 'in' '(' value (',' value)* ')'
// An unquoted word after the operator that names a built-in field (or meta.NAME) is that field
// (suggested != label); quoted, it is text.
import { isFieldRef, type CompareOp, type QueryNode, type Value } from './ast';

export class QueryError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = 'QueryError';
  }
}

type Tok = { t: 'word' | 'str' | 'num' | 'op' | 'lp' | 'rp' | 'comma' | 'end'; v: string; pos: number };
const OPS = ['<=', '>=', '!=', '=', '<', '>', '~'];

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (c === '(') { out.push({ t: 'lp', v: c, pos: i++ }); continue; }
    if (c === ')') { out.push({ t: 'rp', v: c, pos: i++ }); continue; }
    if (c === ',') { out.push({ t: 'comma', v: c, pos: i++ }); continue; }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) { out.push({ t: 'op', v: op, pos: i }); i += op.length; continue; }
    if (c === '"' || c === "'") {
      let v = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        v += src[i++];
      }
      if (i >= src.length) throw new QueryError(`unterminated quote starting at ${start + 1}`, start);
      i++;
      out.push({ t: 'str', v, pos: start });
      continue;
    }
    const m = /^[^\s()=<>!~,"']+/.exec(src.slice(i));
    if (!m) throw new QueryError(`unexpected "${c}" at ${i + 1}`, i);
    i += m[0].length;
    out.push({ t: /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(m[0]) ? 'num' : 'word', v: m[0], pos: start });
  }
  out.push({ t: 'end', v: '', pos: src.length });
  return out;
}

export function parseQuery(src: string): QueryNode {
  if (src.trim() === '') return { kind: 'all' };
  const toks = lex(src);
  let k = 0;
  const peek = () => toks[k]!;
  const kw = (w: string) => peek().t === 'word' && peek().v.toLowerCase() === w;
  const fail = (what: string): never => {
    const t = peek();
    throw new QueryError(`${what} at ${t.pos + 1}${t.t === 'end' ? ' (end of query)' : ` (found "${t.v}")`}`, t.pos);
  };

  function value(): Value {
    const t = peek();
    if (t.t === 'num') { k++; return Number(t.v); }
    if (t.t === 'str') { k++; return t.v; }
    if (t.t === 'word') { k++; return t.v.toLowerCase() === 'null' ? null : t.v; }
    return fail('expected a value');
  }

  function unary(): QueryNode {
    if (kw('not')) { k++; return { kind: 'not', expr: unary() }; }
    if (peek().t === 'lp') {
      k++;
      const e = or();
      if (peek().t !== 'rp') fail('expected ")"');
      k++;
      return e;
    }
    if (peek().t !== 'word') fail('expected a field name');
    const field = toks[k++]!.v;
    if (kw('in')) {
      k++;
      if (peek().t !== 'lp') fail('expected "(" after in');
      k++;
      const values = [value()];
      while (peek().t === 'comma') { k++; values.push(value()); }
      if (peek().t !== 'rp') fail('expected ")" to close the list');
      k++;
      return { kind: 'in', field, values };
    }
    if (peek().t !== 'op') fail(`expected a comparison after "${field}" (= != < <= > >= ~ or in)`);
    const op = toks[k++]!.v as CompareOp;
    if (peek().t === 'word' && isFieldRef(peek().v)) return { kind: 'compare-fields', field, op, other: toks[k++]!.v };
    return { kind: 'compare', field, op, value: value() };
  }

  function and(): QueryNode {
    let left = unary();
    while (kw('and')) { k++; left = { kind: 'and', left, right: unary() }; }
    return left;
  }

  function or(): QueryNode {
    let left = and();
    while (kw('or')) { k++; left = { kind: 'or', left, right: and() }; }
    return left;
  }

  const ast = or();
  if (peek().t !== 'end') fail('expected "and", "or" or the end of the query');
  return ast;
}
