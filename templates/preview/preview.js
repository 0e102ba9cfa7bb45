// The page of `protoflow preview`: the index of the specs, or one spec's diagrams with a picker
// per variable, zoom and pan, its problems and its presence matrix, kept current over Server-Sent
// Events. Only text is put into the page (textContent), never markup from a spec.
const main = document.getElementById('main');
const status = document.getElementById('status');
const params = new URLSearchParams(location.search);
const spec = location.pathname === '/spec' ? params.get('path') : null;

const element = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
};

const events = new EventSource('/events');
events.onopen = () => (status.textContent = 'live');
events.onerror = () => (status.textContent = 'disconnected: is protoflow preview still running?');

if (spec === null) showIndex();
else showSpec(spec);

async function showIndex() {
  const draw = async () => {
    const specs = await (await fetch('/api/specs')).json();
    const list = element('ul', { class: 'specs' });
    for (const item of specs) {
      const link = element('a', { href: `/spec?path=${encodeURIComponent(item.spec)}`, text: item.title });
      const errors = item.errors > 0 ? element('span', { class: 'errors', text: ` ${item.errors} error(s)` }) : '';
      list.append(element('li', {}, link, ` (${item.spec})`, errors));
    }
    main.replaceChildren(element('h1', { text: 'Specs' }), list);
  };
  events.onmessage = () => draw();
  await draw();
}

function showSpec(path) {
  document.getElementById('where').textContent = path;
  // What the reader chose, kept across every update of the page.
  const chosen = { scenario: Object.fromEntries(new URLSearchParams(params.get('scenario')?.replaceAll(',', '&') ?? '')), tab: params.get('tab') };
  const view = { scale: 1, x: 0, y: 0 };
  let page;
  let fitted = false;

  const title = element('h1');
  const pickers = element('div', { class: 'controls' });
  const tabs = element('div', { class: 'tabs', role: 'tablist' });
  const zoom = element(
    'span',
    { class: 'zoom' },
    element('button', { text: '−', title: 'zoom out', onclick: () => zoomBy(1 / 1.25) }),
    element('button', { text: 'fit', title: 'fit the diagram', onclick: () => fit() }),
    element('button', { text: '+', title: 'zoom in', onclick: () => zoomBy(1.25) }),
  );
  const image = element('img', { alt: '' });
  const viewport = element('div', { class: 'viewport' }, image);
  const failed = element('p', { class: 'failed' });
  const stale = element('p', { class: 'stale' });
  const problems = element('pre', { class: 'problems' });
  const matrix = element('div');
  main.replaceChildren(title, pickers, element('div', { class: 'controls' }, tabs, zoom), stale, problems, failed, viewport, matrix);

  const place = () => (image.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`);
  const zoomBy = (factor, at = { x: viewport.clientWidth / 2, y: viewport.clientHeight / 2 }) => {
    view.x = at.x - (at.x - view.x) * factor;
    view.y = at.y - (at.y - view.y) * factor;
    view.scale *= factor;
    place();
  };
  const fit = () => {
    if (!image.naturalWidth) return;
    view.scale = Math.min(1, viewport.clientWidth / image.naturalWidth);
    view.x = (viewport.clientWidth - image.naturalWidth * view.scale) / 2;
    view.y = 0;
    place();
  };
  viewport.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const box = viewport.getBoundingClientRect();
      zoomBy(Math.exp(-event.deltaY / 500), { x: event.clientX - box.left, y: event.clientY - box.top });
    },
    { passive: false },
  );
  viewport.addEventListener('pointerdown', (event) => {
    const start = { x: event.clientX - view.x, y: event.clientY - view.y };
    viewport.setPointerCapture(event.pointerId);
    viewport.classList.add('dragging');
    const move = (e) => {
      view.x = e.clientX - start.x;
      view.y = e.clientY - start.y;
      place();
    };
    viewport.addEventListener('pointermove', move);
    viewport.addEventListener(
      'pointerup',
      () => {
        viewport.removeEventListener('pointermove', move);
        viewport.classList.remove('dragging');
      },
      { once: true },
    );
  });

  const scenarioText = () =>
    Object.entries(chosen.scenario)
      .filter(([, value]) => value)
      .map(([variable, value]) => `${variable}=${value}`)
      .join(',');
  const remember = () => {
    const query = new URLSearchParams({ path });
    if (scenarioText()) query.set('scenario', scenarioText());
    if (chosen.tab) query.set('tab', chosen.tab);
    history.replaceState(null, '', `/spec?${query}`);
  };

  const showDiagram = () => {
    const diagram = page.diagrams.find((d) => d.target === chosen.tab) ?? page.diagrams[0];
    for (const button of tabs.children) button.setAttribute('aria-selected', String(button.dataset.target === diagram?.target));
    if (!diagram) return;
    const source = `/out/${encodeURIComponent(diagram.name)}.svg?v=${page.version}`;
    if (image.getAttribute('src') === source) return;
    // Loaded aside first: the diagram on screen is replaced only by one that was drawn.
    const next = new Image();
    next.onload = () => {
      image.src = source;
      image.dataset.name = diagram.name;
      image.dataset.version = String(page.version);
      failed.textContent = '';
      if (!fitted) image.addEventListener('load', () => fit(), { once: true });
      fitted = true;
    };
    next.onerror = async () => (failed.textContent = await (await fetch(source)).text());
    next.src = source;
  };

  const load = async () => {
    const query = new URLSearchParams({ path });
    if (scenarioText()) query.set('scenario', scenarioText());
    const answer = await (await fetch(`/api/spec?${query}`)).json();
    if (answer.problem) {
      failed.textContent = answer.problem;
      return;
    }
    page = answer;
    title.textContent = page.title;
    document.title = `${page.title} · protoflow preview`;
    problems.textContent = page.problems;
    problems.hidden = !page.problems;
    stale.textContent = page.stale ? 'The spec does not compile: these are its last good diagrams.' : '';
    pickers.replaceChildren(
      ...page.variables.map((variable) => {
        const select = element('select', { 'data-variable': variable.id, onchange: () => choose(variable.id, select.value) });
        select.append(element('option', { value: '', text: 'every value' }), ...variable.values.map((v) => element('option', { value: v.id, text: v.label })));
        select.value = chosen.scenario[variable.id] ?? '';
        return element('label', {}, `${variable.label} `, select);
      }),
    );
    tabs.replaceChildren(
      ...page.diagrams.map((diagram) => {
        const button = element('button', { role: 'tab', text: diagram.target, onclick: () => ((chosen.tab = diagram.target), remember(), showDiagram()) });
        button.dataset.target = diagram.target;
        return button;
      }),
    );
    matrix.replaceChildren(page.matrix ? matrixTable(page.matrix) : '');
    showDiagram();
  };
  const choose = (variable, value) => {
    chosen.scenario[variable] = value;
    remember();
    load();
  };

  // A column of the presence matrix opens its scenario.
  const matrixTable = (view) => {
    const scenarioOf = (column) => Object.fromEntries(column.values.filter((v) => !v.any).map((v) => [v.variable, v.values[0]]));
    const current = scenarioText();
    const header = element(
      'tr',
      {},
      element('th', { text: 'message' }),
      ...view.columns.map((column) => {
        const values = scenarioOf(column);
        const text = Object.entries(values)
          .map(([variable, value]) => `${variable}=${value}`)
          .join(',');
        const button = element('button', { text: column.title ?? column.name, title: text, onclick: () => ((chosen.scenario = values), remember(), load()) });
        return element('th', text === current ? { class: 'chosen' } : {}, button);
      }),
    );
    const rows = view.rows.map((row) =>
      element('tr', {}, element('td', { text: row.label }), ...row.present.map((present) => element('td', { text: present ? '✓' : '' }))),
    );
    return element('table', { class: 'matrix' }, element('caption', { text: 'Presence matrix: a column opens its scenario' }), header, ...rows);
  };

  events.onmessage = (event) => {
    if (JSON.parse(event.data).spec === path) load();
  };
  load();
}
