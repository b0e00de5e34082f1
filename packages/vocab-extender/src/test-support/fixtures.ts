/**
 * Small tokenizer.json files of each kind, built by hand from the documented
 * schema (no tokenizer.json can be downloaded here). Each mirrors the layout
 * of a well-known model: t5-small (Unigram/SentencePiece), GPT-2 (byte-level
 * BPE), bert-base-uncased (WordPiece). Expected tokenisations in the tests are
 * worked out by hand from these vocabularies.
 */

const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/** t5-small layout: NFKC + collapse spaces, WhitespaceSplit + Metaspace, Unigram, `</s>` appended. */
export function t5LikeTokenizer() {
  const vocab: Array<[string, number]> = [
    ['<pad>', 0],
    ['</s>', 0],
    ['<unk>', 0],
    ['\u2581', -2],
    ['\u2581user', -4],
    ['_', -3],
    ['1', -3.5],
    ['2', -3.5],
    ['12', -4],
    ['\u2581has', -4],
    ['\u2581item', -4.5],
    ['s', -3],
    ['\u2581items', -6],
    [',', -3],
    ['.', -3],
    ['\u2581,', -4.5],
    ['\u2581What', -4],
    ['\u2581is', -4],
    ['\u2581next', -4],
    ['?', -3],
  ];
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    // t5-small has <extra_id_*> sentinels after the SentencePiece vocabulary; one here.
    added_tokens: [special(0, '<pad>'), special(1, '</s>'), special(2, '<unk>'), special(vocab.length, '<extra_id_0>')],
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'NFKC' }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true }],
    },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '</s>', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
        { SpecialToken: { id: '</s>', type_id: 0 } },
      ],
      special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
    },
    decoder: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 2, vocab, byte_fallback: false },
  };
}

/** GPT-2's byte → printable character map (Radford et al. 2019, encoder.py bytes_to_unicode). */
export function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const out: string[] = new Array(256);
  bs.forEach((b, i) => (out[b] = String.fromCharCode(cs[i])));
  return out;
}

/** GPT-2 layout: ByteLevel pre-tokenizer and decoder, BPE over the 256 byte symbols plus five merges. */
export function gpt2LikeTokenizer() {
  const byteChars = bytesToUnicode();
  const vocab: Record<string, number> = {};
  byteChars.forEach((c, b) => (vocab[c] = b));
  const merges = ['h i', '\u0120 t', '\u0120t h', 'e r', '\u0120th er'];
  ['hi', '\u0120t', '\u0120th', 'er', '\u0120ther'].forEach((t, i) => (vocab[t] = 256 + i));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(261, '<|endoftext|>')],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

/** bert-base-uncased layout: BertNormalizer (lowercase), BertPreTokenizer, WordPiece, [CLS] A [SEP]. */
export function bertLikeTokenizer() {
  const words = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'user', '_', '12', 'has', 'item', '##s', ',', '.', 'play', '##ing'];
  const vocab: Record<string, number> = {};
  words.forEach((w, i) => (vocab[w] = i));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '[PAD]'), special(1, '[UNK]'), special(2, '[CLS]'), special(3, '[SEP]'), special(4, '[MASK]')],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}
