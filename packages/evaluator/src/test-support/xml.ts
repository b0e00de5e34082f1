/**
 * A strict, small XML well-formedness checker for the SVG tests (no
 * dependency): one root element, properly nested and closed tags, quoted
 * attribute values without `<` or a bare `&`, unique attribute names, only
 * the five predefined or numeric entity references, no text outside the root.
 * Returns the element names in document order (for assertions) or throws.
 */
export function checkWellFormedXml(xml: string): string[] {
  let i = 0;
  const stack: string[] = [];
  const elements: string[] = [];
  let rootClosed = false;
  const fail = (msg: string): never => {
    const line = xml.slice(0, i).split('\n').length;
    throw new Error(`XML not well-formed at line ${line}: ${msg}`);
  };
  const checkText = (text: string) => {
    const amp = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(text);
    if (amp) fail(`bare & in ${JSON.stringify(text.slice(amp.index, amp.index + 20))}`);
    if (text.includes('>') && false) fail('unexpected >');
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  const NAME = /^[A-Za-z_:][\w:.-]*/;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.trim() !== '') {
      if (stack.length === 0) fail(`text outside the root element: ${JSON.stringify(text.trim().slice(0, 30))}`);
      checkText(text);
    }
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const end = xml.indexOf('>', i);
      if (end < 0) fail('unterminated end tag');
      const name = xml.slice(i + 2, end).trim();
      const open = stack.pop();
      if (open !== name) fail(`</${name}> closes <${open}>`);
      if (stack.length === 0) rootClosed = true;
      i = end + 1;
      continue;
    }
    i++;
    const m = NAME.exec(xml.slice(i));
    if (!m) fail('bad tag name');
    const name = m![0];
    if (stack.length === 0 && rootClosed) fail(`second root element <${name}>`);
    elements.push(name);
    i += name.length;
    const attrs = new Set<string>();
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0].length;
      i += ws;
      if (xml.startsWith('/>', i)) {
        i += 2;
        if (stack.length === 0) rootClosed = true;
        break;
      }
      if (xml[i] === '>') {
        i++;
        stack.push(name);
        break;
      }
      if (ws === 0) fail(`expected whitespace before an attribute of <${name}>`);
      const a = NAME.exec(xml.slice(i));
      if (!a) fail(`bad attribute in <${name}>`);
      const an = a![0];
      if (attrs.has(an)) fail(`duplicate attribute ${an} in <${name}>`);
      attrs.add(an);
      i += an.length;
      if (xml[i] !== '=') fail(`attribute ${an} of <${name}> has no value`);
      i++;
      const q = xml[i];
      if (q !== '"' && q !== "'") fail(`attribute ${an} of <${name}> is not quoted`);
      const end = xml.indexOf(q, i + 1);
      if (end < 0) fail('unterminated attribute value');
      const value = xml.slice(i + 1, end);
      if (value.includes('<')) fail(`< in attribute ${an}`);
      checkText(value);
      i = end + 1;
    }
  }
  if (stack.length) fail(`unclosed <${stack[stack.length - 1]}>`);
  if (!rootClosed) fail('no root element');
  return elements;
}
