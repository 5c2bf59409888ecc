/** Formats console.log arguments the way Node prints them, closely enough for a debug log. */

const MAX_DEPTH = 2;
const MAX_ITEMS = 100;

export function formatLogLine(args: readonly unknown[]): string {
  return args.map((arg) => (typeof arg === 'string' ? arg : inspectSafely(arg))).join(' ');
}

/** Student values may be proxies whose traps throw; the log line must still be written. */
function inspectSafely(value: unknown): string {
  try {
    return inspect(value, 0, new Set());
  } catch {
    return '[uninspectable value]';
  }
}

function inspect(value: unknown, depth: number, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return depth === 0 ? value : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return /^class\b/.test(Function.prototype.toString.call(value))
        ? `[class ${value.name || '(anonymous)'}]`
        : `[Function: ${value.name || '(anonymous)'}]`;
    case 'object':
      return value === null ? 'null' : inspectObject(value, depth, ancestors);
    default:
      return String(value);
  }
}

function inspectObject(value: object, depth: number, ancestors: Set<object>): string {
  if (ancestors.has(value)) return '[Circular]';
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (depth > MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';

  ancestors.add(value);
  const nested = (item: unknown) => inspect(item, depth + 1, ancestors);
  let text: string;
  if (Array.isArray(value)) {
    text = bracket('[', value.slice(0, MAX_ITEMS).map(nested), value.length - MAX_ITEMS, ']');
  } else if (value instanceof Map) {
    const entries = [...value].slice(0, MAX_ITEMS).map(([k, v]) => `${nested(k)} => ${nested(v)}`);
    text = `Map(${value.size}) ` + bracket('{', entries, value.size - MAX_ITEMS, '}');
  } else if (value instanceof Set) {
    text = `Set(${value.size}) ` + bracket('{', [...value].slice(0, MAX_ITEMS).map(nested), value.size - MAX_ITEMS, '}');
  } else {
    text = constructorPrefix(value) + bracket('{', ownProperties(value, nested), 0, '}');
  }
  ancestors.delete(value);
  return text;
}

/** `key: value` for each own enumerable property; accessors are named, not called. */
function ownProperties(value: object, nested: (item: unknown) => string): string[] {
  const descriptors = Object.getOwnPropertyDescriptors(value);
  return Object.keys(descriptors)
    .filter((key) => descriptors[key].enumerable)
    .slice(0, MAX_ITEMS)
    .map((key) => {
      const descriptor = descriptors[key];
      const shown = 'value' in descriptor
        ? nested(descriptor.value)
        : `[${[descriptor.get && 'Getter', descriptor.set && 'Setter'].filter(Boolean).join('/')}]`;
      return `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`}: ${shown}`;
    });
}

function constructorPrefix(value: object): string {
  const prototype = Object.getPrototypeOf(value);
  if (prototype === null) return '[Object: null prototype] ';
  const name = Object.getOwnPropertyDescriptor(prototype, 'constructor')?.value?.name;
  return typeof name === 'string' && name !== 'Object' ? `${name} ` : '';
}

function bracket(open: string, items: string[], hidden: number, close: string): string {
  if (hidden > 0) items.push(`... ${hidden} more item${hidden === 1 ? '' : 's'}`);
  return items.length === 0 ? `${open}${close}` : `${open} ${items.join(', ')} ${close}`;
}
