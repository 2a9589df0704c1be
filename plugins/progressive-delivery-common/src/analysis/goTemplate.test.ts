import {
  collapsePromQLWhitespace,
  FlaggerTemplateModel,
  renderFlaggerTemplate,
} from './goTemplate';

const model: FlaggerTemplateModel = {
  name: 'podinfo-canary',
  namespace: 'test',
  target: 'podinfo',
  service: 'podinfo-svc',
  ingress: 'podinfo-ingress',
  route: 'podinfo-route',
  interval: '2m',
  variables: { direction: 'inbound', cluster: 'dev' },
};

function text(template: string, m: FlaggerTemplateModel = model): string {
  const result = renderFlaggerTemplate(template, m);
  if ('error' in result) {
    throw new Error(result.error.message);
  }
  return result.text;
}

function error(template: string, m: FlaggerTemplateModel = model) {
  const result = renderFlaggerTemplate(template, m);
  if (!('error' in result)) {
    throw new Error(`rendered: ${result.text}`);
  }
  return result.error;
}

describe('renderFlaggerTemplate (pkg/metrics/observers/render.go)', () => {
  it.each([
    ['name', 'podinfo-canary'],
    ['namespace', 'test'],
    ['target', 'podinfo'],
    ['service', 'podinfo-svc'],
    ['ingress', 'podinfo-ingress'],
    ['route', 'podinfo-route'],
    ['interval', '2m'],
  ])('{{ %s }}', (field, value) => {
    expect(text(`x="{{ ${field} }}"`)).toBe(`x="${value}"`);
  });

  it('variables.<key>, index variables "<key>", and the map itself', () => {
    expect(text('direction="{{ variables.direction }}"')).toBe(
      'direction="inbound"',
    );
    expect(text('{{ index variables "cluster" }}')).toBe('dev');
    // Go's index yields the zero value for a missing key, whatever missingkey says.
    expect(text('[{{ index variables "absent" }}]')).toBe('[]');
    expect(text('{{ variables }}')).toBe('map[cluster:dev direction:inbound]');
  });

  it('whitespace inside the braces does not matter; trim markers eat whitespace outside', () => {
    expect(text('{{namespace}}/{{  target\t}}/{{\nservice\n}}')).toBe(
      'test/podinfo/podinfo-svc',
    );
    expect(text('a  \n {{- target -}} \n  b')).toBe('apodinfob');
    // Without a space after it, "-" is no trim marker but a number's sign.
    expect(error('a {{-target}}')).toMatchObject({
      kind: 'parse',
      message: 'bad number syntax: "-t"',
    });
  });

  it('comments render nothing; text outside actions is copied, "}}" included', () => {
    expect(text('{{/* the window */}}[{{ interval }}] }}')).toBe('[2m] }}');
    expect(text('a {{- /* trimmed */ -}} b')).toBe('ab');
    expect(text('{{ "literal" }}-{{ `raw` }}')).toBe('literal-raw');
  });

  // pkg/metrics/observers/render_test.go L28-81, fluxcd/flagger v1.44.0
  // (15bd6ad555e6c935da55f0ab95977be74c149bd6): its three cases.
  it("Flagger's render_test.go: without variables, with variables, a missing variable", () => {
    const standard = { ...model, namespace: 'default', target: 'myapp' };
    expect(
      text(
        'sum(envoy_cluster_upstream_rq{envoy_cluster_name=~"{{ namespace }}_{{ target }}"})',
        standard,
      ),
    ).toBe(
      'sum(envoy_cluster_upstream_rq{envoy_cluster_name=~"default_myapp"})',
    );
    const kafka =
      'delta(max by (consumer_group) (kafka_consumer_current_offset{cluster="{{ variables.cluster }}", consumer_group="{{ variables.consumer_group }}"}[{{ interval }}]))';
    const variables = { cluster: 'dev', consumer_group: 'my_consumer' };
    expect(text(kafka, { ...model, interval: '1m', variables })).toBe(
      'delta(max by (consumer_group) (kafka_consumer_current_offset{cluster="dev", consumer_group="my_consumer"}[1m]))',
    );
    const invalid = { invalid: 'dev', consumer_group: 'my_consumer' };
    expect(error(kafka, { ...model, variables: invalid })).toEqual({
      kind: 'execute',
      line: 1,
      action: '{{ variables.cluster }}',
      message: 'map has no entry for key "cluster"',
      variable: 'cluster',
    });
  });

  it('a missing variable is an error even without templateVariables (missingkey=error)', () => {
    const err = error('a\nb{{ variables.direction }}', {
      ...model,
      variables: {},
    });
    expect(err).toMatchObject({ line: 2, variable: 'direction' });
  });

  it.each([
    ['{{ namespace', 'unclosed action'],
    ['{{ "open }}', 'unterminated quoted string'],
    ['{{ workload }}', 'function "workload" not defined'],
    ['{{ }}', 'missing value for command'],
    ['{{/* note */ target }}', 'comment ends before closing delimiter'],
    ['{{/* note', 'unclosed comment'],
  ])('malformed: %s is a parse error (%s)', (template, message) => {
    expect(error(template)).toMatchObject({ kind: 'parse', message });
  });

  it('a parse error anywhere wins over an execution error before it, as Go parses first', () => {
    const err = error('{{ variables.absent }} {{ target }} {{ nope }}', {
      ...model,
      variables: {},
    });
    expect(err).toMatchObject({ kind: 'parse', line: 1 });
  });

  it('.Field reads data Flagger never passes: an execution error (nil data)', () => {
    expect(error('{{ .Namespace }}')).toMatchObject({
      kind: 'execute',
      message: 'nil data; no entry for key "Namespace"',
    });
  });

  it('a field of a string is an execution error', () => {
    expect(error('{{ target.name }}')).toMatchObject({
      kind: 'execute',
      message: "can't evaluate field name in type string",
    });
  });

  it('Go syntax beyond Flagger\'s documented forms is "unsupported", not rendered wrongly', () => {
    for (const template of [
      '{{ target | printf "%s-x" }}',
      '{{ if target }}x{{ end }}',
      '{{ printf "%s" target }}',
    ]) {
      expect(error(template).kind).toBe('unsupported');
    }
  });
});

describe('collapsePromQLWhitespace (prometheus.go trimQuery)', () => {
  it('collapses every run of Go whitespace to one space', () => {
    expect(
      collapsePromQLWhitespace('\n\tsum(\n\t\trate(x[1m])\r\n) \n/ 2'),
    ).toBe(' sum( rate(x[1m]) ) / 2');
  });
});
