import { ServerSentEventParser } from './ServerSentEventParser';

describe('ServerSentEventParser', () => {
  it('parses named events and skips heartbeat comments', () => {
    const parser = new ServerSentEventParser();
    expect(
      parser.push(': heartbeat\n\nevent: state\ndata: {"a":1}\n\n'),
    ).toEqual([{ event: 'state', data: '{"a":1}' }]);
  });

  it('joins messages split across chunks anywhere', () => {
    const parser = new ServerSentEventParser();
    const text =
      'event: state\ndata: {"phase":"Progressing"}\n\nevent: state\ndata: 2\n\n';
    const messages = [];
    for (const char of text) {
      messages.push(...parser.push(char));
    }
    expect(messages).toEqual([
      { event: 'state', data: '{"phase":"Progressing"}' },
      { event: 'state', data: '2' },
    ]);
  });

  it('accepts CRLF line breaks, also when split between \\r and \\n', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('data: one\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ event: 'message', data: 'one' }]);
  });

  it('joins multi-line data and ignores unknown fields and empty messages', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('id: 7\nretry: 100\n\ndata: a\ndata:b\n\n')).toEqual([
      { event: 'message', data: 'a\nb' },
    ]);
  });

  it('keeps an unfinished message until its blank line arrives', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('event: state\ndata: x\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'state', data: 'x' }]);
  });
});
