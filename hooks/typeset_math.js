// Typesets TeX into SVG with MathJax at build time, so pages ship finished math and no math JavaScript.
// stdin: JSON [{"tex": "...", "display": true|false}, ...]   stdout: JSON ["<mjx-container ...>", ...]
const {mathjax} = require('mathjax-full/js/mathjax.js');
const {TeX} = require('mathjax-full/js/input/tex.js');
const {AllPackages} = require('mathjax-full/js/input/tex/AllPackages.js');
const {SVG} = require('mathjax-full/js/output/svg.js');
const {liteAdaptor} = require('mathjax-full/js/adaptors/liteAdaptor.js');
const {RegisterHTMLHandler} = require('mathjax-full/js/handlers/html.js');

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const doc = mathjax.document('', {
  InputJax: new TeX({packages: AllPackages.filter((name) => name !== 'bussproofs')}),
  // 'none': each formula carries its own glyph paths, so no shared cache element is needed on the page.
  OutputJax: new SVG({fontCache: 'none'}),
});

let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map(({tex, display}) => {
    const node = doc.convert(tex, {display});
    // MathJax reports TeX errors inside the SVG instead of throwing: surface them so the build fails.
    const error = adaptor.tags(node, 'g').find((g) => adaptor.getAttribute(g, 'data-mml-node') === 'merror');
    if (error) {
      process.stderr.write(`TeX error in ${JSON.stringify(tex)}: ${adaptor.getAttribute(error, 'title') || adaptor.textContent(error)}\n`);
      process.exitCode = 1;
    }
    // Screen readers get the TeX source: an SVG with role="img" needs an accessible name.
    const svg = adaptor.firstChild(node);
    adaptor.setAttribute(svg, 'aria-label', tex);
    return adaptor.outerHTML(node);
  });
  process.stdout.write(JSON.stringify(out));
});
