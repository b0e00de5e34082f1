#!/usr/bin/python3
"""The same T5-layout encoder-decoder in PyTorch 1.13 (written from the HF
`modeling_t5.py` layout, no transformers needed), for two jobs:

  fixture DIR   write tiny HF-layout checkpoints (config.json, model.safetensors,
                tokenizer.json) with random weights plus expected.json (logits
                and loss computed here), which the TypeScript loader's test reads.
  bench ...     training throughput (tokens/s) of the same architecture, sizes,
                batch and AdamW as tools/bench/finetuner/step-bench.mjs.

Run with Debian's /usr/bin/python3 (torch 1.13), torch.set_num_threads(2).
"""
import json, math, os, struct, sys, time
import torch

torch.set_num_threads(int(os.environ.get('TORCH_THREADS', '2')))


def bucket(rel, bidirectional, num_buckets=32, max_distance=128):
    """HF T5Attention._relative_position_bucket on a LongTensor."""
    buckets = torch.zeros_like(rel)
    if bidirectional:
        num_buckets //= 2
        buckets += (rel > 0).long() * num_buckets
        rel = torch.abs(rel)
    else:
        rel = -torch.min(rel, torch.zeros_like(rel))
    max_exact = num_buckets // 2
    is_small = rel < max_exact
    large = max_exact + (torch.log(rel.float() / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)).long()
    large = torch.min(large, torch.full_like(large, num_buckets - 1))
    return buckets + torch.where(is_small, rel, large)


class T5(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        inner = c['num_heads'] * c['d_kv']
        P = {}
        def lin(name, out_f, in_f, std):
            P[name] = torch.randn(out_f, in_f) * std
        d, ff = c['d_model'], c['d_ff']
        P['shared.weight'] = torch.randn(c['vocab_size'], d)
        def att(p, bias):
            lin(p + '.q.weight', inner, d, (d * c['d_kv']) ** -0.5)
            lin(p + '.k.weight', inner, d, d ** -0.5)
            lin(p + '.v.weight', inner, d, d ** -0.5)
            lin(p + '.o.weight', d, inner, inner ** -0.5)
            if bias:
                P[p + '.relative_attention_bias.weight'] = torch.randn(c['relative_attention_num_buckets'], c['num_heads']) * d ** -0.5
        def ffn(p):
            if c['feed_forward_proj'] == 'relu':
                lin(p + '.DenseReluDense.wi.weight', ff, d, d ** -0.5)
            else:
                lin(p + '.DenseReluDense.wi_0.weight', ff, d, d ** -0.5)
                lin(p + '.DenseReluDense.wi_1.weight', ff, d, d ** -0.5)
            lin(p + '.DenseReluDense.wo.weight', d, ff, ff ** -0.5)
            P[p + '.layer_norm.weight'] = 1 + 0.1 * torch.randn(d)
        for i in range(c['num_layers']):
            att(f'encoder.block.{i}.layer.0.SelfAttention', i == 0)
            P[f'encoder.block.{i}.layer.0.layer_norm.weight'] = 1 + 0.1 * torch.randn(d)
            ffn(f'encoder.block.{i}.layer.1')
        P['encoder.final_layer_norm.weight'] = 1 + 0.1 * torch.randn(d)
        for i in range(c['num_decoder_layers']):
            att(f'decoder.block.{i}.layer.0.SelfAttention', i == 0)
            P[f'decoder.block.{i}.layer.0.layer_norm.weight'] = 1 + 0.1 * torch.randn(d)
            att(f'decoder.block.{i}.layer.1.EncDecAttention', False)
            P[f'decoder.block.{i}.layer.1.layer_norm.weight'] = 1 + 0.1 * torch.randn(d)
            ffn(f'decoder.block.{i}.layer.2')
        P['decoder.final_layer_norm.weight'] = 1 + 0.1 * torch.randn(d)
        if not c['tie_word_embeddings']:
            lin('lm_head.weight', c['vocab_size'], d, 1.0)
        self.names = sorted(P)
        self.p = torch.nn.ParameterDict({n.replace('.', '__'): torch.nn.Parameter(v) for n, v in P.items()})
        self.drop = torch.nn.Dropout(c['dropout_rate'])

    def w(self, n):
        return self.p[n.replace('.', '__')]

    def rms(self, x, n):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.c['layer_norm_epsilon']) * self.w(n)

    def bias(self, stack, lq, lk):
        q = torch.arange(lq)[:, None]
        k = torch.arange(lk)[None, :]
        b = bucket(k - q, stack == 'encoder', self.c['relative_attention_num_buckets'], self.c['relative_attention_max_distance'])
        return self.w(f'{stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight')[b].permute(2, 0, 1)[None]

    def attend(self, p, x, src, bias):
        B, L, _ = x.shape
        H, dk = self.c['num_heads'], self.c['d_kv']
        q = (x @ self.w(p + '.q.weight').t()).view(B, L, H, dk).transpose(1, 2)
        k = (src @ self.w(p + '.k.weight').t()).view(B, -1, H, dk).transpose(1, 2)
        v = (src @ self.w(p + '.v.weight').t()).view(B, -1, H, dk).transpose(1, 2)
        a = self.drop(torch.softmax(q @ k.transpose(2, 3) + bias, -1))
        return (a @ v).transpose(1, 2).reshape(B, L, H * dk) @ self.w(p + '.o.weight').t()

    def ffn(self, p, x):
        if self.c['feed_forward_proj'] == 'relu':
            h = torch.relu(x @ self.w(p + '.DenseReluDense.wi.weight').t())
        else:
            g = x @ self.w(p + '.DenseReluDense.wi_0.weight').t()
            h = torch.nn.functional.gelu(g, approximate='tanh') * (x @ self.w(p + '.DenseReluDense.wi_1.weight').t())
        return self.drop(h) @ self.w(p + '.DenseReluDense.wo.weight').t()

    def forward(self, ids, dec):
        c = self.c
        mask = (ids == c['pad_token_id']).float()[:, None, None, :] * -1e9
        L = ids.shape[1]
        eb = self.bias('encoder', L, L) + mask
        h = self.drop(self.w('shared.weight')[ids])
        for i in range(c['num_layers']):
            p = f'encoder.block.{i}.layer'
            n = self.rms(h, p + '.0.layer_norm.weight')
            h = h + self.drop(self.attend(p + '.0.SelfAttention', n, n, eb))
            h = h + self.drop(self.ffn(p + '.1', self.rms(h, p + '.1.layer_norm.weight')))
        enc = self.drop(self.rms(h, 'encoder.final_layer_norm.weight'))
        T = dec.shape[1]
        causal = torch.triu(torch.full((T, T), -1e9), 1)[None, None]
        db = self.bias('decoder', T, T) + causal
        h = self.drop(self.w('shared.weight')[dec])
        for i in range(c['num_decoder_layers']):
            p = f'decoder.block.{i}.layer'
            n = self.rms(h, p + '.0.layer_norm.weight')
            h = h + self.drop(self.attend(p + '.0.SelfAttention', n, n, db))
            h = h + self.drop(self.attend(p + '.1.EncDecAttention', self.rms(h, p + '.1.layer_norm.weight'), enc, mask))
            h = h + self.drop(self.ffn(p + '.2', self.rms(h, p + '.2.layer_norm.weight')))
        h = self.drop(self.rms(h, 'decoder.final_layer_norm.weight'))
        if c['tie_word_embeddings']:
            return (h * c['d_model'] ** -0.5) @ self.w('shared.weight').t()
        return h @ self.w('lm_head.weight').t()

    def loss(self, ids, targets):
        dec = torch.cat([torch.full((targets.shape[0], 1), self.c['decoder_start_token_id']), targets[:, :-1]], 1)
        logits = self.forward(ids, dec)
        return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=self.c['pad_token_id'])


def write_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name, t in tensors.items():
        b = t.detach().contiguous().float().numpy().tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b' ' * ((8 - (8 + len(h)) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def fixture(out):
    torch.manual_seed(0)
    words = ['<pad>', '</s>', '<unk>'] + [f'w{i}' for i in range(37)]
    for name, extra in [('relu-tied', {'feed_forward_proj': 'relu', 'tie_word_embeddings': True}),
                        ('gated-untied', {'feed_forward_proj': 'gated-gelu', 'tie_word_embeddings': False})]:
        c = dict(vocab_size=40, d_model=16, d_kv=4, num_heads=3, d_ff=24, num_layers=2, num_decoder_layers=1,
                 relative_attention_num_buckets=8, relative_attention_max_distance=20, dropout_rate=0.0,
                 layer_norm_epsilon=1e-6, decoder_start_token_id=0, pad_token_id=0, eos_token_id=1,
                 model_type='t5', architectures=['T5ForConditionalGeneration'], **extra)
        m = T5(c).eval()
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        json.dump(c, open(os.path.join(d, 'config.json'), 'w'), indent=1)
        tensors = {n: m.w(n) for n in m.names}
        tensors['encoder.embed_tokens.weight'] = m.w('shared.weight')  # tied copies, as HF saves them
        tensors['decoder.embed_tokens.weight'] = m.w('shared.weight')
        write_safetensors(os.path.join(d, 'model.safetensors'), tensors)
        tok = {'version': '1.0', 'truncation': None, 'padding': None,
               'added_tokens': [{'id': i, 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False, 'special': True} for i, t in enumerate(words[:3])],
               'normalizer': None, 'pre_tokenizer': {'type': 'WhitespaceSplit'},
               'post_processor': {'type': 'TemplateProcessing', 'single': [{'Sequence': {'id': 'A', 'type_id': 0}}, {'SpecialToken': {'id': '</s>', 'type_id': 0}}], 'pair': [{'Sequence': {'id': 'A', 'type_id': 0}}, {'Sequence': {'id': 'B', 'type_id': 0}}], 'special_tokens': {'</s>': {'id': '</s>', 'ids': [1], 'tokens': ['</s>']}}},
               'decoder': None, 'model': {'type': 'WordLevel', 'vocab': {t: i for i, t in enumerate(words)}, 'unk_token': '<unk>'}}
        json.dump(tok, open(os.path.join(d, 'tokenizer.json'), 'w'))
        json.dump({'pad_token': '<pad>', 'eos_token': '</s>', 'unk_token': '<unk>'}, open(os.path.join(d, 'tokenizer_config.json'), 'w'))
        ids = torch.tensor([[5, 9, 12, 33, 7, 1], [8, 3, 30, 1, 0, 0]])
        dec = torch.tensor([[0, 4, 11], [0, 20, 2]])
        targets = torch.tensor([[4, 11, 1], [20, 1, 0]])
        with torch.no_grad():
            logits = m(ids, dec)
        loss = m.loss(ids, targets)
        loss.backward()
        # Gradients of the loss, in the HF layout ([out, in] for Linear weights), for the backward-pass test.
        grads = {n: m.w(n).grad.reshape(-1).tolist() for n in m.names}
        json.dump({'inputs': ids.tolist(), 'decoder': dec.tolist(), 'targets': targets.tolist(),
                   'logits': logits.reshape(-1).tolist(), 'logitsShape': list(logits.shape), 'loss': loss.item(),
                   'grads': grads},
                  open(os.path.join(d, 'expected.json'), 'w'))
        print('wrote', d)


def bench(d, layers, ff, B, L, V=1500, T=3, steps=int(os.environ.get('STEPS', '25')), heads=4, dropout=0.1):
    torch.manual_seed(0)
    c = dict(vocab_size=V, d_model=d, d_kv=d // heads, num_heads=heads, d_ff=ff, num_layers=layers, num_decoder_layers=layers,
             relative_attention_num_buckets=32, relative_attention_max_distance=128, dropout_rate=dropout, layer_norm_epsilon=1e-6,
             feed_forward_proj='relu', tie_word_embeddings=True, decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
    m = T5(c).train()
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.01)
    ids = (3 + (torch.arange(B * L) * 7919) % (V - 3)).view(B, L)
    tg = (3 + (torch.arange(B * T) * 104729) % (V - 3)).view(B, T)
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = m.loss(ids, tg)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()
        times.append(time.perf_counter() - t0)
    times.sort()
    med = times[len(times) // 2]
    params = sum(p.numel() for p in m.parameters())
    print(json.dumps({'impl': 'pytorch', 'torch': torch.__version__, 'threads': torch.get_num_threads(), 'd': d, 'layers': layers, 'ff': ff, 'B': B, 'L': L,
                      'params': params, 'msPerStep': round(med * 1000, 1), 'tokPerSec': round(B * (L + T) / med)}))


if __name__ == '__main__':
    if sys.argv[1] == 'fixture':
        fixture(sys.argv[2])
    else:
        d, layers, ff, B, L = map(int, sys.argv[2:7])
        bench(d, layers, ff, B, L)
