// colima's stderr lines, copied from reference/colima-cli.md §0, §2.4, §13
// (piped logfmt) and as logrus prints them on a TTY (ANSI colours, padding).
import { describe, expect, it } from 'vitest';
import { parseLogfmt, unquoteGo } from '../../../main/core/colima/logfmt.js';
import { describeLogLine, parseColimaLogLine, stageLabel } from '../../../main/core/colima/parse-log.js';

describe('parseLogfmt / unquoteGo (Go %q)', () => {
  it('reads bare and quoted values in order', () => {
    const f = parseLogfmt('time="2026-08-21T10:15:30+02:00" level=info msg="starting colima" context=vm');
    expect([...f!.entries()]).toEqual([
      ['time', '2026-08-21T10:15:30+02:00'],
      ['level', 'info'],
      ['msg', 'starting colima'],
      ['context', 'vm'],
    ]);
  });

  it('undoes every escape Go produces', () => {
    expect(unquoteGo('"Switched to context \\"colima\\"."')).toBe('Switched to context "colima".');
    expect(unquoteGo('"a\\tb\\nc\\\\d"')).toBe('a\tb\nc\\d');
    expect(unquoteGo('"\\x1b[31m\\x1b[1mred\\x1b[0m"')).toBe('\x1b[31m\x1b[1mred\x1b[0m');
    expect(unquoteGo('"\\u00e9\\U0001F600 caf\u00e9"')).toBe('\u00e9\u{1F600} caf\u00e9');
    expect(unquoteGo('"\\xc3\\xa9"')).toBe('\u00e9'); // raw bytes that form UTF-8
    expect(unquoteGo('"\\101\\a\\v\\f\\r\\b"')).toBe('A\x07\x0b\x0c\r\b');
  });

  it('rejects malformed literals and non-logfmt text', () => {
    expect(unquoteGo('"unterminated')).toBeUndefined();
    expect(unquoteGo('"bad \\q escape"')).toBeUndefined();
    expect(unquoteGo('"\\x4"')).toBeUndefined();
    expect(parseLogfmt('Error: unknown flag: --x')).toBeUndefined();
    expect(parseLogfmt('  -c, --cpus int   number of CPUs (default 2)')).toBeUndefined();
    expect(parseLogfmt('level=info msg="unterminated')).toBeUndefined();
  });

  it('keeps an empty bare value (logrus does not quote "")', () => {
    expect(parseLogfmt('level=info msg=')!.get('msg')).toBe('');
  });
});

describe('parseColimaLogLine: piped (logfmt) lines', () => {
  it('parses the fresh-start sequence of §13 with stage labels', () => {
    const lines = [
      'time="2026-08-21T10:15:30+02:00" level=info msg="starting colima"',
      'time="2026-08-21T10:15:30+02:00" level=info msg="runtime: containerd+k3s"',
      'time="2026-08-21T10:15:31+02:00" level=info msg="creating and starting ..." context=vm',
      'time="2026-08-21T10:15:40+02:00" level=info msg="provisioning ..." context=containerd',
      'time="2026-08-21T10:15:41+02:00" level=info msg="starting ..." context=containerd',
      'time="2026-08-21T10:15:42+02:00" level=info msg="downloading and installing ..." context=kubernetes',
      'time="2026-08-21T10:16:10+02:00" level=info msg="Switched to context \\"colima\\"." context=kubernetes',
      'time="2026-08-21T10:16:10+02:00" level=info msg=done',
    ];
    expect(lines.map(parseColimaLogLine)).toEqual([
      { level: 'info', msg: 'starting colima' },
      { level: 'info', msg: 'runtime: containerd+k3s' },
      { level: 'info', msg: 'creating and starting ...', context: 'vm', stage: 'creating and starting (vm)' },
      { level: 'info', msg: 'provisioning ...', context: 'containerd', stage: 'provisioning (containerd)' },
      { level: 'info', msg: 'starting ...', context: 'containerd', stage: 'starting (containerd)' },
      { level: 'info', msg: 'downloading and installing ...', context: 'kubernetes', stage: 'downloading and installing (kubernetes)' },
      { level: 'info', msg: 'Switched to context "colima".', context: 'kubernetes' },
      { level: 'info', msg: 'done' },
    ]);
  });

  it('parses warning and fatal lines (level=warning, not warn)', () => {
    expect(parseColimaLogLine('time="2026-08-21T10:15:30+02:00" level=warning msg="already running, ignoring"')).toEqual({
      level: 'warning',
      msg: 'already running, ignoring',
    });
    expect(
      parseColimaLogLine(`time="2026-08-21T10:15:30+02:00" level=fatal msg="error starting vm: error at 'creating and starting': exit status 1"`),
    ).toEqual({ level: 'fatal', msg: "error starting vm: error at 'creating and starting': exit status 1" });
    expect(parseColimaLogLine('time="2026-08-21T10:15:30+02:00" level=fatal msg="colima [profile=dev] is not running"')?.msg).toBe(
      'colima [profile=dev] is not running',
    );
    expect(parseColimaLogLine('time="2026-08-21T10:15:30+02:00" level=fatal msg="error retrieving instances: exit status 1"')?.level).toBe('fatal');
  });

  it('does not label warnings or non-stage lines as stages', () => {
    expect(parseColimaLogLine('time="2026-08-21T10:15:30+02:00" level=warning msg="disk size cannot be reduced, ignoring..." context=vm')?.stage).toBeUndefined();
    expect(parseColimaLogLine('time="2026-08-21T10:15:30+02:00" level=info msg="resizing disk to 120GiB..." context=vm')?.stage).toBeUndefined();
  });

  it('returns undefined for cobra errors, usage text and blank lines', () => {
    expect(parseColimaLogLine('Error: unknown flag: --x')).toBeUndefined();
    expect(parseColimaLogLine("Run 'colima --help' for usage.")).toBeUndefined();
    expect(parseColimaLogLine('Usage:')).toBeUndefined();
    expect(parseColimaLogLine('')).toBeUndefined();
  });
});

describe('parseColimaLogLine: TTY lines (colours, 44-column padding)', () => {
  it('parses coloured INFO lines with and without a context field', () => {
    expect(parseColimaLogLine('\x1b[36mINFO\x1b[0m[0012] starting colima                              ')).toEqual({
      level: 'info',
      msg: 'starting colima',
    });
    expect(parseColimaLogLine('\x1b[36mINFO\x1b[0m[0003] creating and starting ...                     \x1b[36mcontext\x1b[0m=vm')).toEqual({
      level: 'info',
      msg: 'creating and starting ...',
      context: 'vm',
      stage: 'creating and starting (vm)',
    });
  });

  it('keeps quotes inside the message (TTY messages are not quoted)', () => {
    expect(
      parseColimaLogLine('\x1b[36mINFO\x1b[0m[0041] Switched to context "colima".                 \x1b[36mcontext\x1b[0m=kubernetes'),
    ).toEqual({ level: 'info', msg: 'Switched to context "colima".', context: 'kubernetes' });
  });

  it('maps FATA/WARN/ERRO and reads messages longer than 44 columns', () => {
    expect(
      parseColimaLogLine("\x1b[31mFATA\x1b[0m[0003] error starting vm: error at 'creating and starting': exit status 1 "),
    ).toEqual({ level: 'fatal', msg: "error starting vm: error at 'creating and starting': exit status 1" });
    expect(parseColimaLogLine('\x1b[33mWARN\x1b[0m[0000] already running, ignoring                    ')).toEqual({
      level: 'warning',
      msg: 'already running, ignoring',
    });
    expect(parseColimaLogLine('\x1b[31mERRO\x1b[0m[0001] error persisting runtime settings: boom      ')?.level).toBe('error');
  });

  it('parses TTY text whose colours were stripped, telling fields apart by column', () => {
    expect(parseColimaLogLine('INFO[0012] provisioning ...                              context=containerd')).toEqual({
      level: 'info',
      msg: 'provisioning ...',
      context: 'containerd',
      stage: 'provisioning (containerd)',
    });
    // `a=b` inside a short message is not a field: fields start after the 44-column pad.
    expect(parseColimaLogLine('INFO[0000] set  a=b                                     ')).toEqual({ level: 'info', msg: 'set  a=b' });
  });
});

describe('stageLabel / describeLogLine', () => {
  it('labels stage messages with their component', () => {
    expect(stageLabel('creating and starting ...', 'vm')).toBe('creating and starting (vm)');
    expect(stageLabel('version changed to v1.35.0+k3s1, downloading and installing ...', 'kubernetes')).toBe(
      'version changed to v1.35.0+k3s1, downloading and installing (kubernetes)',
    );
    expect(stageLabel('preparing network ...')).toBe('preparing network');
    expect(stageLabel('done')).toBeUndefined();
  });

  it('renders a readable tail line', () => {
    expect(describeLogLine({ level: 'fatal', msg: 'boom', context: 'vm' })).toBe('fatal: boom [vm]');
    expect(describeLogLine({ level: 'info', msg: 'done' })).toBe('done');
  });
});
