import { ReplyLike, sendAnswer } from './inbound-answer';

function fakeReply() {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const request: { korpuService?: string } = {};
  const reply: ReplyLike = {
    request,
    status: (code) => ((sent.status = code), reply),
    header: (name, value) => ((sent.headers[name] = value), reply),
    send: (body) => ((sent.body = body), reply),
  };
  return { reply, sent, request };
}

describe('sendAnswer', () => {
  it('writes the signed answer and names the answered service on the request for the HTTP metrics', () => {
    const { reply, sent, request } = fakeReply();
    sendAnswer(reply, { contentType: 'text/xml; charset=utf-8', headers: { 'x-a': '1' }, body: '<r/>', warnings: [], service: 'ministry/GetPensionEntitlement' });
    expect(sent).toEqual({ status: 200, headers: { 'x-a': '1', 'content-type': 'text/xml; charset=utf-8' }, body: '<r/>' });
    expect(request.korpuService).toBe('ministry/GetPensionEntitlement');
  });

  it('leaves the label alone for an answer that is no service call (a metaservice)', () => {
    const { reply, request } = fakeReply();
    sendAnswer(reply, { contentType: 'text/xml', headers: {}, body: '<r/>', warnings: [] });
    expect(request.korpuService).toBeUndefined();
  });
});
