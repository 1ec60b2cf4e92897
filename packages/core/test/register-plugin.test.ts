import { describe, expect, it } from 'vitest';
import {
  addGitignoreEntry,
  planInit,
  pluginOptionsFromNxJson,
  registerPluginInNxJson,
  SixtyError,
  type SixtyErrorCode,
} from '@sixty/core';

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function expectSixtyError(action: () => unknown, code: SixtyErrorCode, message: string | RegExp): void {
  const error = errorOf(action);
  expect(error).toBeInstanceOf(SixtyError);
  expect((error as SixtyError).code).toBe(code);
  if (typeof message === 'string') expect((error as SixtyError).message).toBe(message);
  else expect((error as SixtyError).message).toMatch(message);
  expect((error as SixtyError).fix).not.toBe('');
}

const lines = (...text: string[]): string => text.join('\n') + '\n';

describe('registerPluginInNxJson', () => {
  it('adds a plugins list to an nx.json without one', () => {
    const input = lines('{', '  "$schema": "./node_modules/nx/schemas/nx-schema.json"', '}');
    expect(registerPluginInNxJson(input)).toEqual({
      changed: true,
      text: lines(
        '{',
        '  "$schema": "./node_modules/nx/schemas/nx-schema.json",',
        '  "plugins": [',
        '    {',
        '      "plugin": "@sixty/nx",',
        '      "options": {',
        '        "budgetSeconds": 60',
        '      }',
        '    }',
        '  ]',
        '}',
      ),
    });
  });

  it('appends after existing string and object entries, keeping comments and 4-space indentation', () => {
    const input = lines(
      '{',
      '    // shared inputs',
      '    "namedInputs": { "default": ["{projectRoot}/**/*"] },',
      '    "plugins": [',
      '        /* inferred from config files */',
      '        "@nx/js",',
      '        {',
      '            "plugin": "@nx/vite/plugin",',
      '            "options": {}',
      '        }',
      '    ]',
      '}',
    );
    const { text, changed } = registerPluginInNxJson(input, { budgetSeconds: 90, historyDir: 'tmp/sixty' });
    expect(changed).toBe(true);
    expect(text).toBe(
      lines(
        '{',
        '    // shared inputs',
        '    "namedInputs": { "default": ["{projectRoot}/**/*"] },',
        '    "plugins": [',
        '        /* inferred from config files */',
        '        "@nx/js",',
        '        {',
        '            "plugin": "@nx/vite/plugin",',
        '            "options": {}',
        '        },',
        '        {',
        '            "plugin": "@sixty/nx",',
        '            "options": {',
        '                "budgetSeconds": 90,',
        '                "historyDir": "tmp/sixty"',
        '            }',
        '        }',
        '    ]',
        '}',
      ),
    );
  });

  it('keeps tab indentation', () => {
    expect(registerPluginInNxJson('{\n\t"plugins": []\n}').text).toBe(
      '{\n\t"plugins": [\n\t\t{\n\t\t\t"plugin": "@sixty/nx",\n\t\t\t"options": {\n\t\t\t\t"budgetSeconds": 60\n\t\t\t}\n\t\t}\n\t]\n}\n',
    );
  });

  it('keeps Windows line endings', () => {
    const { text } = registerPluginInNxJson('{\r\n  "npmScope": "acme"\r\n}\r\n');
    expect(text).toBe(
      '{\r\n  "npmScope": "acme",\r\n  "plugins": [\r\n    {\r\n      "plugin": "@sixty/nx",\r\n      "options": {\r\n        "budgetSeconds": 60\r\n      }\r\n    }\r\n  ]\r\n}\r\n',
    );
  });

  it('treats an empty file as an empty object', () => {
    const { text, changed } = registerPluginInNxJson('');
    expect(changed).toBe(true);
    expect(JSON.parse(text)).toEqual({ plugins: [{ plugin: '@sixty/nx', options: { budgetSeconds: 60 } }] });
  });

  it('is idempotent: a second call changes nothing and returns the same text', () => {
    const first = registerPluginInNxJson(lines('{', '  "plugins": ["@nx/js"]', '}'));
    const second = registerPluginInNxJson(first.text, { budgetSeconds: 5 });
    expect(second).toEqual({ text: first.text, changed: false });
    expect(first.text.match(/@sixty\/nx/g)).toHaveLength(1);
  });

  it('leaves nx.json alone when the plugin is registered as a string or as an object', () => {
    const asString = '{ "plugins": ["@sixty/nx"] }';
    const asObject = '{\n  // custom budget\n  "plugins": [{ "plugin": "@sixty/nx", "options": { "budgetSeconds": 30 } }]\n}';
    expect(registerPluginInNxJson(asString)).toEqual({ text: asString, changed: false });
    expect(registerPluginInNxJson(asObject)).toEqual({ text: asObject, changed: false });
  });

  it.each([['{ "plugins": [ '], ['{ "a": 1 "b": 2 }'], ['[]'], ['"nx"'], ['null']])(
    'rejects %j with INVALID_CONFIG',
    (text) => {
      expectSixtyError(() => registerPluginInNxJson(text), 'INVALID_CONFIG', 'nx.json is not a valid JSON object');
    },
  );

  it('rejects a plugins value that is not a list', () => {
    expectSixtyError(
      () => registerPluginInNxJson('{ "plugins": { "@sixty/nx": {} } }'),
      'INVALID_CONFIG',
      'nx.json "plugins" is not an array',
    );
  });
});

describe('pluginOptionsFromNxJson', () => {
  it('returns the options of the registered plugin entry', () => {
    expect(pluginOptionsFromNxJson('{ "plugins": ["@nx/js", { "plugin": "@sixty/nx", "options": { "budgetSeconds": 30 } }] }')).toEqual({
      registered: true,
      options: { budgetSeconds: 30 },
    });
    expect(pluginOptionsFromNxJson('{ "plugins": ["@sixty/nx"] }')).toEqual({ registered: true, options: undefined });
  });

  it('says not registered when there is no entry, no plugins, or no valid nx.json', () => {
    expect(pluginOptionsFromNxJson('{ "plugins": ["@nx/js", { "plugin": "@nx/vite/plugin" }] }')).toEqual({
      registered: false,
      options: undefined,
    });
    expect(pluginOptionsFromNxJson('{}')).toEqual({ registered: false, options: undefined });
    expect(pluginOptionsFromNxJson('not json')).toEqual({ registered: false, options: undefined });
  });
});

describe('addGitignoreEntry', () => {
  it('appends the entry on its own line', () => {
    expect(addGitignoreEntry('', '.sixty/')).toEqual({ text: '.sixty/\n', changed: true });
    expect(addGitignoreEntry('node_modules/\n', '.sixty/')).toEqual({ text: 'node_modules/\n.sixty/\n', changed: true });
    expect(addGitignoreEntry('node_modules/', '.sixty/')).toEqual({ text: 'node_modules/\n.sixty/\n', changed: true });
  });

  it.each([['/.sixty'], ['.sixty'], ['.sixty/'], ['/.sixty/'], ['  .sixty/  ']])(
    'sees %j as the same entry',
    (existing) => {
      const text = `node_modules\r\n${existing}\r\ndist\r\n`;
      expect(addGitignoreEntry(text, '.sixty/')).toEqual({ text, changed: false });
    },
  );

  it('does not mistake a longer name or a comment for the entry', () => {
    expect(addGitignoreEntry('.sixty-cache\n# .sixty\n', '.sixty/')).toEqual({
      text: '.sixty-cache\n# .sixty\n.sixty/\n',
      changed: true,
    });
  });

  it('is idempotent', () => {
    const first = addGitignoreEntry('dist\n', '.sixty/');
    expect(addGitignoreEntry(first.text, '.sixty/')).toEqual({ text: first.text, changed: false });
  });
});

describe('planInit', () => {
  it('registers the plugin and ignores the history directory', () => {
    expect(planInit({ nxJson: '{}\n', gitignore: null }, { budgetSeconds: 60, historyDir: '.sixty' })).toEqual({
      writes: [
        { path: 'nx.json', content: registerPluginInNxJson('{}\n', { budgetSeconds: 60 }).text },
        { path: '.gitignore', content: '.sixty/\n' },
      ],
      alreadyRegistered: false,
    });
  });

  it('writes a custom history directory into the options and .gitignore', () => {
    const { writes } = planInit({ nxJson: '{}', gitignore: 'dist\n' }, { budgetSeconds: 90, historyDir: 'tmp/sixty/' });
    expect(pluginOptionsFromNxJson(writes[0]!.content)).toEqual({
      registered: true,
      options: { budgetSeconds: 90, historyDir: 'tmp/sixty/' },
    });
    expect(writes[1]).toEqual({ path: '.gitignore', content: 'dist\ntmp/sixty/\n' });
  });

  it('writes nothing the second time', () => {
    const first = planInit({ nxJson: '{}', gitignore: null }, { budgetSeconds: 60, historyDir: '.sixty' });
    const files = { nxJson: first.writes[0]!.content, gitignore: first.writes[1]!.content };
    expect(planInit(files, { budgetSeconds: 60, historyDir: '.sixty' })).toEqual({ writes: [], alreadyRegistered: true });
  });

  it('still adds the .gitignore entry when the plugin is already registered', () => {
    expect(planInit({ nxJson: '{ "plugins": ["@sixty/nx"] }', gitignore: '/.sixty\n' }, { budgetSeconds: 60, historyDir: '.sixty' })).toEqual({
      writes: [],
      alreadyRegistered: true,
    });
    expect(planInit({ nxJson: '{ "plugins": ["@sixty/nx"] }', gitignore: null }, { budgetSeconds: 60, historyDir: '.sixty' })).toEqual({
      writes: [{ path: '.gitignore', content: '.sixty/\n' }],
      alreadyRegistered: true,
    });
  });

  it('refuses a directory without nx.json with NOT_A_WORKSPACE', () => {
    expectSixtyError(
      () => planInit({ nxJson: null, gitignore: '.sixty/\n' }, { budgetSeconds: 60, historyDir: '.sixty' }),
      'NOT_A_WORKSPACE',
      /not an Nx workspace/,
    );
  });
});
