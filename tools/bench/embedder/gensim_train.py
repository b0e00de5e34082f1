"""gensim 4.2 Word2Vec on a walk corpus, timed like ours: raw corpus words x epochs / wall seconds of train() only.

usage: gensim_train.py CORPUS MODE(file|iter) EPOCHS WORKERS SAMPLE [OUT.bin|-] [SEED=1]
"""
import json
import sys
import time

from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence

path, mode, epochs, workers, sample = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
out = sys.argv[6] if len(sys.argv) > 6 and sys.argv[6] != '-' else None
seed = int(sys.argv[7]) if len(sys.argv) > 7 else 1
model = Word2Vec(sg=1, vector_size=64, window=5, negative=5, min_count=1, sample=sample, epochs=epochs,
                 workers=workers, alpha=0.025, min_alpha=0.0001, seed=seed)
if mode == 'file':
    model.build_vocab(corpus_file=path)
else:
    model.build_vocab(LineSentence(path))
words = model.corpus_total_words
t0 = time.perf_counter()
c0 = time.process_time()  # CPU of every thread of this process: meaningful when other jobs take the cores
if mode == 'file':
    model.train(corpus_file=path, total_examples=model.corpus_count, total_words=words, epochs=epochs)
else:
    model.train(LineSentence(path), total_examples=model.corpus_count, epochs=epochs)
seconds = time.perf_counter() - t0
cpu = time.process_time() - c0
if out:
    model.wv.save_word2vec_format(out, binary=True)
print(json.dumps({'words': words * epochs, 'seconds': seconds, 'wordsPerSecond': words * epochs / seconds,
                  'cpuSeconds': cpu, 'wordsPerCpuSecond': words * epochs / cpu}))
