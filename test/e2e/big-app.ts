/** Generated documents for the e2e tests (and whoever measures with them). */

/** A valid app.json of about `bytes` bytes: many inputs, all on one guide page, one misspelt at the end. */
export function bigAppJson(bytes: number): string {
  const inputs: string[] = [];
  const names: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const name = `input_${i}`;
    const entry = `    "${name}": {\n      "type": "number",\n      "name": "Input ${i}",\n      "description": "Input number ${i} of a generated app: a long description so that the file grows to many megabytes.",\n      "default": ${i}\n    }`;
    inputs.push(entry);
    names.push(name);
    size += entry.length + 20 + name.length;
  }
  const fields = names.map((n) => `        "${n}"`);
  fields[fields.length - 1] = fields[fields.length - 1].replace(/"$/, 'x"'); // "input_N" → "input_Nx": did you mean "input_N"?
  return `{\n  "name": "Generated app",\n  "version": "1.0.0",\n  "description": "A generated app.json of many megabytes.",\n  "input": {\n${inputs.join(',\n')}\n  },\n  "guide": [\n    {\n      "id": "all",\n      "title": "All inputs",\n      "description": "Every input.",\n      "input_fields": [\n${fields.join(',\n')}\n      ]\n    }\n  ]\n}\n`;
}
