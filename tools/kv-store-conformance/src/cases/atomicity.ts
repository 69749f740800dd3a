import { check, checkBytes, checkKeys, ConformanceFailure } from '../assert.js';
import type { ConformanceCase } from '../case.js';
import { readTaggedValue, taggedValue } from '../values.js';

export const atomicityCases: ConformanceCase[] = [
  {
    name: 'replacing a value is atomic: readers (another instance where there is one) never see a torn value, nor an older one than the last resolved write',
    async run(scope) {
      const writer = await scope.create();
      const reader = scope.canReopen ? await scope.reopen(writer) : writer;
      const bytes = scope.sizes.replaceValueBytes;
      const replacements = scope.sizes.replacements;
      await writer.write('monitors', '', 'chan', taggedValue(9, 0, bytes));
      // The writer's progress: the highest sequence whose write resolved.
      let resolved = 0;
      let done = false;
      const writing = (async () => {
        try {
          // Two sizes, so a value cut at the old length is caught too.
          for (let seq = 1; seq <= replacements; seq++) {
            await writer.write('monitors', '', 'chan', taggedValue(9, seq, seq % 2 === 0 ? bytes : bytes + 4099));
            resolved = seq;
          }
        } finally {
          done = true;
        }
      })();
      let reads = 0;
      const readOne = async () => {
        while (!done) {
          const floor = resolved;
          const value = await reader.read('monitors', '', 'chan');
          check(value !== undefined, 'a key being replaced read as missing');
          const tag = readTaggedValue(value);
          if ('torn' in tag) throw new ConformanceFailure(`a reader saw a torn value: ${tag.torn}`);
          check(tag.keyIndex === 9, `a reader saw another key's value (${tag.keyIndex})`);
          check(tag.seq >= floor, `a reader saw value ${tag.seq} after write ${floor} had resolved`);
          reads++;
        }
      };
      await Promise.all([writing, readOne(), readOne()]);
      check(reads > 0, 'the readers never ran');
      checkBytes(await reader.read('monitors', '', 'chan'), taggedValue(9, replacements, replacements % 2 === 0 ? bytes : bytes + 4099), 'the last value');
    },
  },
  {
    name: 'stores a large value whole, reads it back (another instance too), then replaces it with a small one',
    async run(scope) {
      const store = await scope.create();
      const large = taggedValue(3, 1, scope.sizes.largeValueBytes);
      await store.write('', '', 'network_graph', large);
      const back = await store.read('', '', 'network_graph');
      check(back !== undefined, 'the large value reads as missing');
      const tag = readTaggedValue(back);
      check(!('torn' in tag), `the large value came back damaged: ${'torn' in tag ? tag.torn : ''}`);
      checkBytes(back, large, 'the large value');
      if (scope.canReopen) {
        const other = await scope.reopen(store);
        checkBytes(await other.read('', '', 'network_graph'), large, 'the large value in another instance');
      }
      const small = taggedValue(3, 2, 20);
      await store.write('', '', 'network_graph', small);
      checkBytes(await store.read('', '', 'network_graph'), small, 'the small value that replaced it');
      checkKeys(await store.list('', ''), ['network_graph'], 'list');
    },
  },
];
