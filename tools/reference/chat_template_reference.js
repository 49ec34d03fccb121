// Renders every chat template under a directory for every case of chat_template_cases.json with
// the npm package @huggingface/jinja (the renderer transformers.js uses), recording the output or
// the error. ChatTemplateConformanceTest compares Seriatim's renderer with these results.
//
// Usage (run by hand, never in CI):
//   cd $(mktemp -d) && npm install @huggingface/jinja@0.5.11
//   NODE_PATH=$PWD/node_modules node tools/reference/chat_template_reference.js \
//       seriatim-core/src/test/resources/chat/templates tools/reference/chat_template_cases.json \
//       > seriatim-core/src/test/resources/chat/expected_renders.json
const fs = require('fs');
const path = require('path');
const { Template } = require('@huggingface/jinja');
const dir = process.argv[2];
const spec = JSON.parse(fs.readFileSync(process.argv[3], 'utf-8'));
const out = [];
for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.jinja')).sort()) {
  const name = file.replace(/\.jinja$/, '');
  const source = fs.readFileSync(path.join(dir, file), 'utf-8');
  for (const c of spec.cases) {
    const context = Object.assign({}, spec.variables[name] || {},
      { messages: c.messages, add_generation_prompt: c.add_generation_prompt });
    if (c.tools) context.tools = c.tools;
    const entry = { template: name, case: c.name };
    try {
      entry.output = new Template(source).render(context);
    } catch (e) {
      entry.error = String(e.message || e);
    }
    out.push(entry);
  }
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
