/* corr2d_fast's direct sum (c_engine.py), and the bell on which
 * `_threads`' idle helpers spin without the GIL (woken by the operating
 * system, a helper took 28 to 50 us).
 *
 * Products are summed in the kernel's row-major order, fused where the CPU
 * can (no -ffast-math): NaN and inf land as in scipy's direct sum, and any
 * split of the rows gives the same bits. GCC on x86-64 Linux builds it for
 * AVX2 + FMA and for the baseline; the loader picks. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <time.h>

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) \
    && !defined(__clang__)
#define CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CLONES
#endif

/* 32-byte vectors; U, at any lane's address, for unaligned access. */
typedef float vf32 __attribute__((vector_size(32)));
typedef double vf64 __attribute__((vector_size(32)));
typedef float uf32 __attribute__((vector_size(32), aligned(4)));
typedef double uf64 __attribute__((vector_size(32), aligned(8)));
#define SPLAT_F32(s) ((vf32){s, s, s, s, s, s, s, s})
#define SPLAT_F64(s) ((vf64){s, s, s, s})

/* NV vectors of outputs of one row, from column j, summed in registers. */
#define BLOCK(T, V, U, SPLAT, NV)                                          \
    do {                                                                   \
        V acc[NV] = {0};                                                   \
        for (Py_ssize_t a = 0; a < h; a++) {                               \
            const T *r = x + a * W + j, *k = K + a * w;                    \
            for (Py_ssize_t b = 0; b < w; b++) {                           \
                V t = SPLAT(k[b]);                                         \
                for (int v = 0; v < NV; v++)                               \
                    acc[v] += t * *(const U *)(r + b + v * L);             \
            }                                                              \
        }                                                                  \
        for (int v = 0; v < NV; v++)                                       \
            *(U *)(y + j + v * L) = acc[v];                                \
    } while (0)

/* Blocks of NV vectors along a row; the rest by one more block ending at
 * the row's end (recomputing some outputs). */
#define BLOCKS(T, V, U, SPLAT, NV)                                         \
    if (ow >= NV * L) {                                                    \
        for (j = 0; j + NV * L <= ow; j += NV * L)                         \
            BLOCK(T, V, U, SPLAT, NV);                                     \
        if (j < ow) {                                                      \
            j = ow - NV * L;                                               \
            BLOCK(T, V, U, SPLAT, NV);                                     \
        }                                                                  \
        continue;                                                          \
    }

/* Rows start:stop: 8, 4 or 1 vectors at a time, else one column. */
#define DEFINE_KERNEL(NAME, T, V, U, SPLAT)                                \
    CLONES static void NAME(const T *X, Py_ssize_t W, const T *K,          \
                            Py_ssize_t h, Py_ssize_t w, T *Y,              \
                            Py_ssize_t ow, Py_ssize_t start,               \
                            Py_ssize_t stop)                               \
    {                                                                      \
        enum { L = sizeof(V) / sizeof(T) };                                \
        for (Py_ssize_t i = start; i < stop; i++) {                        \
            const T *x = X + i * W;                                        \
            T *y = Y + i * ow;                                             \
            Py_ssize_t j;                                                  \
            BLOCKS(T, V, U, SPLAT, 8)                                      \
            BLOCKS(T, V, U, SPLAT, 4)                                      \
            BLOCKS(T, V, U, SPLAT, 1)                                      \
            for (j = 0; j < ow; j++) {                                     \
                T s = 0;                                                   \
                for (Py_ssize_t a = 0; a < h; a++) {                       \
                    const T *r = x + a * W + j, *k = K + a * w;            \
                    for (Py_ssize_t b = 0; b < w; b++)                     \
                        s += k[b] * r[b];                                  \
                }                                                          \
                y[j] = s;                                                  \
            }                                                              \
        }                                                                  \
    }

DEFINE_KERNEL(rows_f32, float, vf32, uf32, SPLAT_F32)
DEFINE_KERNEL(rows_f64, double, vf64, uf64, SPLAT_F64)

static Py_ssize_t bell; /* rung by ring() and by each shared call */

/* Rows start:stop of the valid correlation of C-contiguous X (rows of W)
 * and K (h x w) into Y (rows of ow; a buffer, or its address), without the
 * GIL. With `next`, a buffer holding a row index, the `threads` calls that
 * share it take chunks of half the rows left a thread by compare-and-swap
 * (OpenMP's guided schedule), and each rings the bell. The caller checks
 * dtypes and layouts; this, the buffers' sizes. */
static PyObject *
correlate(PyObject *self, PyObject *args)
{
    Py_buffer x, k, y = {0}, at = {0}; /* released: {0} is a no-op */
    PyObject *Y;
    Py_ssize_t W, h, w, ow, start, stop, threads = 1;
    int float64;
    if (!PyArg_ParseTuple(args, "y*ny*nnOnnnp|w*n", &x, &W, &k, &h, &w, &Y,
                          &ow, &start, &stop, &float64, &at, &threads))
        return NULL;
    Py_ssize_t item = float64 ? 8 : 4, *next = at.buf, i = start;
    void *out = PyLong_Check(Y) ? PyLong_AsVoidPtr(Y)
        : PyObject_GetBuffer(Y, &y, PyBUF_WRITABLE) ? NULL
        : y.len >= stop * ow * item ? y.buf : NULL;
    int ok = out && W >= 1 && h >= 1 && w >= 1 && ow == W - w + 1
        && 0 <= start && start <= stop && k.len >= h * w * item
        && x.len >= (stop + h - 1) * W * item && threads >= 1
        && (!next || at.len >= (Py_ssize_t)sizeof *next);
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        if (next) {
            __atomic_fetch_add(&bell, 1, __ATOMIC_RELEASE);
            i = __atomic_load_n(next, __ATOMIC_RELAXED);
        }
        while (start <= i && i < stop) {
            Py_ssize_t left = (stop - i) / 2 / threads;
            Py_ssize_t end = !next ? stop : left > 1 ? i + left : i + 1;
            if (next && !__atomic_compare_exchange_n(
                    next, &i, end, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
                continue; /* another took them: i is the next row now */
            if (float64)
                rows_f64(x.buf, W, k.buf, h, w, out, ow, i, end);
            else
                rows_f32(x.buf, W, k.buf, h, w, out, ow, i, end);
            i = next ? __atomic_load_n(next, __ATOMIC_RELAXED) : end;
        }
        Py_END_ALLOW_THREADS
    } else if (!PyErr_Occurred())
        PyErr_SetString(PyExc_ValueError, "corr2d_fast: shapes that do "
                        "not match, or buffers too small for them");
    PyBuffer_Release(&x);
    PyBuffer_Release(&k);
    PyBuffer_Release(&y);
    PyBuffer_Release(&at);
    return ok ? Py_NewRef(Py_None) : NULL;
}

static PyObject *
ring(PyObject *self, PyObject *unused)
{
    __atomic_fetch_add(&bell, 1, __ATOMIC_RELEASE);
    Py_RETURN_NONE;
}

/* Spin, without the GIL, until the bell is not `seen` or `seconds` pass;
 * return the bell. */
static PyObject *
wait(PyObject *self, PyObject *args)
{
    Py_ssize_t seen, now;
    double seconds;
    struct timespec t0, t;
    if (!PyArg_ParseTuple(args, "nd", &seen, &seconds))
        return NULL;
    if (!(seconds >= 0)) /* NaN too: it would never end */
        return PyErr_Format(PyExc_ValueError, "wait: seconds must be at "
                            "least 0, got %R", PyTuple_GET_ITEM(args, 1));
    Py_BEGIN_ALLOW_THREADS
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned n = 1;; n++) {
        now = __atomic_load_n(&bell, __ATOMIC_ACQUIRE);
        if (now != seen)
            break;
        if (!(n % 64)) {
            clock_gettime(CLOCK_MONOTONIC, &t);
            if (t.tv_sec - t0.tv_sec + 1e-9 * (t.tv_nsec - t0.tv_nsec)
                    >= seconds)
                break;
        }
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    Py_END_ALLOW_THREADS
    return PyLong_FromSsize_t(now);
}

static PyMethodDef methods[] = {
    {"correlate", correlate, METH_VARARGS,
     "correlate(X, W, K, h, w, Y, ow, start, stop, float64[, next, threads])"},
    {"ring", ring, METH_NOARGS, "ring(): ring the helpers' bell"},
    {"wait", wait, METH_VARARGS,
     "wait(seen, seconds): spin until the bell is not seen; return it"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_direct", "corr2d_fast's direct sum.", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__direct(void)
{
    return PyModule_Create(&module);
}
