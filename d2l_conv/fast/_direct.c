/* The precompiled direct engine of `corr2d_fast` (d2l_conv.fast._direct).
 *
 * Built with the package by a C compiler (setup.py; optional: where it
 * does not build, the other engines serve). Two entry points:
 *
 * correlate(X, K, Y, start, stop, threads=1)
 *     Rows start:stop of the valid cross-correlation of the C-contiguous
 *     2-D float32 or float64 buffers X and K, into Y, on `threads`
 *     threads (see "Threads" below; how many pay is the cost model's
 *     `choose.plan`, in Python); releases the GIL once.
 *
 * small(X, K, dev_type, dev_id, most)
 *     The whole of a small `corr2d_fast` call in one C call: X and K may
 *     each be an mxnet.np.ndarray (read through MXNet's C API, no view
 *     made) or a NumPy array; the result is a new MXNet array, allocated
 *     by MXNet on the host and returned as its handle (an int). Returns
 *     None, having done nothing, wherever the call is not a plain one:
 *     autograd recording, not both float32 or both float64, not 2-D,
 *     empty, a kernel that does not fit, not on the host, not contiguous,
 *     or more than `most` multiply-adds. The Python path then checks,
 *     converts, raises or picks another engine.
 *
 * The sum. Every product is computed (no zero tap is skipped), in the
 * kernel's row-major order, with fused multiply-adds where the CPU has
 * them: NaN and inf land where scipy's direct sum puts them, and sums of
 * integers stay exact while each partial sum is below 2**24 (float32).
 * No -ffast-math. On x86-64 Linux the kernel is built twice, for AVX2 +
 * FMA (x86-64-v3) and for the baseline, and the loader picks one.
 *
 * Threads. A call shared among T threads cuts its rows into T *
 * PIECES_PER_THREAD pieces, which the calling thread and T - 1 native
 * threads of a pool take in turn by an atomic counter: no Python object
 * is touched, and the GIL is released once. The pool is started on
 * first need and kept; after a call its threads poll for the next one
 * for SPIN_NS (as OpenCV's do), then sleep on a condition variable. A
 * pool thread joins a call by taking one of its T - 1 tickets; the
 * caller, once no piece is left, takes the tickets left and waits only
 * for the threads that joined (polling, then asleep, which lets one
 * that another program held up move to its core): one that wakes late
 * finds no ticket. Each output row is summed
 * whole by one thread, in the same order whatever the split, so every
 * thread count gives the same bits. One call uses the pool at a time;
 * a call made meanwhile, from another thread, runs on its own thread
 * (as OpenCV's pthreads backend does), rather than waiting. After
 * fork(), the child forgets the parent's pool (it has none of its
 * threads) and starts its own on need. The pool's threads never touch
 * Python, so the interpreter may exit with them asleep.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) \
    && !defined(__clang__)
#define CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CLONES
#endif

/* 32-byte vectors: 8 float32 or 4 float64 lanes, a ymm register. */
typedef float vf32 __attribute__((vector_size(32)));
typedef double vf64 __attribute__((vector_size(32)));
/* The same, at any address of a float32 or float64 (unaligned loads
 * and stores): plain assignments, so the accumulators stay in registers
 * (memcpy of an array made GCC keep it on the stack). */
typedef float uf32 __attribute__((vector_size(32), aligned(4)));
typedef double uf64 __attribute__((vector_size(32), aligned(8)));
#define SPLAT_F32(s) ((vf32){s, s, s, s, s, s, s, s})
#define SPLAT_F64(s) ((vf64){s, s, s, s})

/* NV vectors of outputs of one row, from column j: accumulators in
 * registers, all h * w taps, each input vector loaded unaligned. */
#define BLOCK(T, V, U, SPLAT, NV)                                          \
    do {                                                                   \
        V acc[NV];                                                         \
        for (int v = 0; v < NV; v++)                                       \
            acc[v] = (V){0};                                               \
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

/* Blocks of NV vectors along the row; the columns left over, if the row
 * holds a block, by one more block ending at the row's end (it recomputes
 * some outputs, to the same values, rather than a slow tail). */
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

/* Rows start:stop of the output: 8, 4 or 1 vectors at a time, where the
 * row is long enough; one column at a time where it is shorter than a
 * vector. */
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

/* Multiply-adds below which `small` keeps the GIL: releasing it costs
 * little, but getting it back may wait for a thread that holds it. */
#define KEEP_GIL_BELOW 100000

typedef struct {
    const void *data;
    Py_ssize_t rows, cols;
    int dtype;                  /* MXNet's code: 0 float32, 1 float64 */
    int dev_type, dev_id;       /* MXNet's device; 1, 0 for NumPy */
    Py_buffer buffer;           /* held for NumPy input */
    int held;
} Operand;

/* MXNet's C API, looked up by `bind` (addresses from ctypes). */
typedef int (*create_t)(const void *, uint32_t, int, int, int, int,
                        void **);
static struct {
    int bound, int64;
    PyObject *mx_type, *np_type;
    create_t create;
    int (*get_data)(void *, void **);
    int (*get_dtype)(void *, int *);
    int (*get_context)(void *, int *, int *);
    int (*get_shape)(void *, int *, const void **);
    int (*wait_to_read)(void *);
    int (*is_recording)(bool *);
    int (*free_array)(void *);
} mx;

static void
run_kernel(const Operand *x, const Operand *k, void *y, Py_ssize_t start,
           Py_ssize_t stop)
{
    Py_ssize_t ow = x->cols - k->cols + 1;
    if (x->dtype == 0)
        rows_f32(x->data, x->cols, k->data, k->rows, k->cols, y, ow, start,
                 stop);
    else
        rows_f64(x->data, x->cols, k->data, k->rows, k->cols, y, ow, start,
                 stop);
}

/* The thread pool (see "Threads" at the top). */

/* Pieces of rows per thread, so that the threads finish together even
 * when another program holds a core for a while. */
#define PIECES_PER_THREAD 4

/* Nanoseconds a pool thread polls for the next job before it sleeps,
 * so that calls made back to back find it awake, as OpenCV's threads
 * do; and the caller polls for the threads that joined to finish
 * before it sleeps. */
#define SPIN_NS 100000

#if defined(__x86_64__) || defined(__i386__)
#define PAUSE() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define PAUSE() __asm__ __volatile__("yield")
#else
#define PAUSE() ((void)0)
#endif

/* Tells, if called every so often, whether SPIN_NS have passed since
 * the first call with this *until (0 at first). */
static int
spun(uint64_t *until, unsigned spin)
{
    if (spin % 256)
        return 0;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    uint64_t ns = (uint64_t)now.tv_sec * 1000000000u + now.tv_nsec;
    if (*until == 0)
        *until = ns + SPIN_NS;
    return ns > *until;
}

typedef struct {
    const Operand *x, *k;
    void *y;
    Py_ssize_t start, rows, pieces;
} Job;

/* A job is published by writing `job`, then `tickets` (how many pool
 * threads it wants); a pool thread joins by taking a ticket, and tells
 * it is done through `finished`. The caller closes the job by taking
 * the tickets left, then waits for those that joined to finish. */
static struct {
    pthread_mutex_t lock;       /* for starting threads and sleeping */
    pthread_cond_t wake, done;
    int started;                /* threads of the pool alive */
    Job job;
    atomic_int tickets, finished, sleepers, waiting;
    atomic_ulong generation;    /* jobs published so far */
    atomic_long next;           /* the job's next piece */
    atomic_long taken;          /* pieces the pool's threads took */
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER,
          .wake = PTHREAD_COND_INITIALIZER,
          .done = PTHREAD_COND_INITIALIZER};

/* Set while a call uses the pool; another call meanwhile runs alone. */
static atomic_flag pool_busy = ATOMIC_FLAG_INIT;

/* Take the job's pieces in turn until none is left. */
static void
take_pieces(const Job *job, int helper)
{
    for (;;) {
        long p = atomic_fetch_add_explicit(&pool.next, 1,
                                           memory_order_relaxed);
        if (p >= job->pieces)
            return;
        if (helper)
            atomic_fetch_add_explicit(&pool.taken, 1, memory_order_relaxed);
        run_kernel(job->x, job->k, job->y,
                   job->start + job->rows * p / job->pieces,
                   job->start + job->rows * (p + 1) / job->pieces);
    }
}

/* Take a ticket of the job published, if one is left: 1, else 0. */
static int
take_ticket(void)
{
    int left = atomic_load(&pool.tickets);
    while (left > 0)
        if (atomic_compare_exchange_weak(&pool.tickets, &left, left - 1))
            return 1;
    return 0;
}

/* A pool thread's life: poll for a job, then sleep until one comes;
 * work on it; tell the caller. At most one ticket per job. */
static void *
serve(void *unused)
{
    (void)unused;
    unsigned long done = 0;     /* the last job this thread worked on */
    for (;;) {
        int joined = 0;
        uint64_t until = 0;
        for (unsigned spin = 0; !joined && !spun(&until, spin); spin++) {
            if (atomic_load_explicit(&pool.tickets, memory_order_relaxed)
                && atomic_load(&pool.generation) != done)
                joined = take_ticket();
            else
                PAUSE();
        }
        if (!joined) {
            pthread_mutex_lock(&pool.lock);
            atomic_fetch_add(&pool.sleepers, 1);
            while (!(atomic_load(&pool.generation) != done
                     && (joined = take_ticket())))
                pthread_cond_wait(&pool.wake, &pool.lock);
            atomic_fetch_sub(&pool.sleepers, 1);
            pthread_mutex_unlock(&pool.lock);
        }
        done = atomic_load(&pool.generation);
        Job job = pool.job;
        take_pieces(&job, 1);
        atomic_fetch_add(&pool.finished, 1);
        if (atomic_load(&pool.waiting)) {
            pthread_mutex_lock(&pool.lock);
            pthread_cond_signal(&pool.done);
            pthread_mutex_unlock(&pool.lock);
        }
    }
    return NULL;
}

/* Start pool threads until `count` are alive (or none more starts).
 * Returns how many are alive. */
static int
grow(int count)
{
    pthread_mutex_lock(&pool.lock);
    while (pool.started < count) {
        pthread_t thread;
        pthread_attr_t attr;
        if (pthread_attr_init(&attr) != 0)
            break;
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attr, serve, NULL);
        pthread_attr_destroy(&attr);
        if (failed)
            break;
        pool.started++;
    }
    int started = pool.started;
    pthread_mutex_unlock(&pool.lock);
    return started;
}

/* Rows start:stop on `threads` threads, this one included; called
 * without the GIL. */
static void
run_shared(const Operand *x, const Operand *k, void *y, Py_ssize_t start,
           Py_ssize_t stop, int threads)
{
    Py_ssize_t rows = stop - start;
    if (threads > rows)
        threads = (int)rows;
    if (threads < 2 || atomic_flag_test_and_set(&pool_busy)) {
        run_kernel(x, k, y, start, stop);
        return;
    }
    Job job = {x, k, y, start, rows, (Py_ssize_t)threads
               * PIECES_PER_THREAD};
    if (job.pieces > rows)
        job.pieces = rows;
    int helpers = grow(threads - 1);
    if (helpers > threads - 1)
        helpers = threads - 1;
    pool.job = job;
    atomic_store(&pool.next, 0);
    atomic_store(&pool.finished, 0);
    atomic_fetch_add(&pool.generation, 1);
    atomic_store(&pool.tickets, helpers);      /* published */
    if (atomic_load(&pool.sleepers) > 0) {
        pthread_mutex_lock(&pool.lock);
        pthread_cond_broadcast(&pool.wake);
        pthread_mutex_unlock(&pool.lock);
    }
    take_pieces(&job, 0);
    /* Closed: no thread joins from now on; wait for those that did. */
    int joined = helpers - atomic_exchange(&pool.tickets, 0);
    uint64_t until = 0;
    unsigned spin = 0;
    while (atomic_load(&pool.finished) < joined && !spun(&until, spin++))
        PAUSE();
    if (atomic_load(&pool.finished) < joined) {
        /* A thread that joined is slow (another program may hold its
         * core): sleep, which frees this core for it to move to. */
        pthread_mutex_lock(&pool.lock);
        atomic_store(&pool.waiting, 1);
        while (atomic_load(&pool.finished) < joined)
            pthread_cond_wait(&pool.done, &pool.lock);
        atomic_store(&pool.waiting, 0);
        pthread_mutex_unlock(&pool.lock);
    }
    atomic_flag_clear(&pool_busy);
}

/* In a child made by fork(): the parent's pool threads are not here. */
static void
forget_pool(void)
{
    pthread_mutex_init(&pool.lock, NULL);
    pthread_cond_init(&pool.wake, NULL);
    pthread_cond_init(&pool.done, NULL);
    pool.started = 0;
    atomic_store(&pool.waiting, 0);
    atomic_store(&pool.tickets, 0);
    atomic_store(&pool.sleepers, 0);
    atomic_store(&pool.taken, 0);
    atomic_flag_clear(&pool_busy);
}

/* A NumPy-like buffer: 2-D, C-contiguous, native float32 or float64.
 * Returns 1 and fills `op`, or 0 (no error set) if it is not one. */
static int
from_buffer(PyObject *obj, Operand *op, int writable)
{
    int flags = PyBUF_STRIDES | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE
                                                         : 0);
    if (PyObject_GetBuffer(obj, &op->buffer, flags) < 0) {
        PyErr_Clear();
        return 0;
    }
    op->held = 1;
    Py_buffer *v = &op->buffer;
    const char *f = v->format;
    if (v->ndim != 2 || f == NULL || f[1] != '\0'
        || (f[0] != 'f' && f[0] != 'd'))
        return 0;
    op->dtype = f[0] == 'f' ? 0 : 1;
    if (v->itemsize != (op->dtype ? 8 : 4)
        || v->strides[1] != v->itemsize
        || v->strides[0] != v->itemsize * v->shape[1])
        return 0;
    op->data = v->buf;
    op->rows = v->shape[0];
    op->cols = v->shape[1];
    op->dev_type = 1;
    op->dev_id = 0;
    return 1;
}

static void
release(Operand *op)
{
    if (op->held) {
        PyBuffer_Release(&op->buffer);
        op->held = 0;
    }
}

/* An mxnet.np.ndarray's handle, or NULL (no error set). */
static void *
mx_handle(PyObject *obj)
{
    PyObject *h = PyObject_GetAttrString(obj, "handle");
    if (h == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *value = PyObject_GetAttrString(h, "value");
    Py_DECREF(h);
    if (value == NULL) {
        PyErr_Clear();
        return NULL;
    }
    void *p = value == Py_None ? NULL : PyLong_AsVoidPtr(value);
    Py_DECREF(value);
    if (PyErr_Occurred()) {
        PyErr_Clear();
        return NULL;
    }
    return p;
}

/* An mxnet.np.ndarray on the host, 2-D, float32 or float64: 1, else 0.
 * Waits for MXNet's pending writes to it (without the GIL). */
static int
from_mxnet(PyObject *obj, Operand *op)
{
    void *h = mx_handle(obj);
    int ndim = 0, code = -1, ok;
    const void *shape = NULL;
    if (h == NULL || mx.get_dtype(h, &code) != 0 || (code != 0 && code != 1)
        || mx.get_context(h, &op->dev_type, &op->dev_id) != 0
        || op->dev_type != 1 || mx.get_shape(h, &ndim, &shape) != 0
        || ndim != 2)
        return 0;
    op->dtype = code;
    if (mx.int64) {
        op->rows = (Py_ssize_t)((const int64_t *)shape)[0];
        op->cols = (Py_ssize_t)((const int64_t *)shape)[1];
    } else {
        op->rows = ((const int *)shape)[0];
        op->cols = ((const int *)shape)[1];
    }
    Py_BEGIN_ALLOW_THREADS
    ok = mx.wait_to_read(h) == 0;
    Py_END_ALLOW_THREADS
    void *data = NULL;
    if (!ok || mx.get_data(h, &data) != 0)
        return 0;
    op->data = data;
    return 1;
}

static int
operand(PyObject *obj, Operand *op)
{
    PyObject *type = (PyObject *)Py_TYPE(obj);
    if (type == mx.mx_type)
        return from_mxnet(obj, op);
    if (type == mx.np_type)
        return from_buffer(obj, op, 0);
    return 0;
}

static PyObject *
small(PyObject *self, PyObject *args)
{
    PyObject *X, *K;
    int dev_type, dev_id;
    double most;
    if (!PyArg_ParseTuple(args, "OOiid", &X, &K, &dev_type, &dev_id, &most))
        return NULL;
    if (!mx.bound) {
        PyErr_SetString(PyExc_RuntimeError, "_direct.bind was not called");
        return NULL;
    }
    bool recording = true;
    if (mx.is_recording(&recording) != 0 || recording)
        Py_RETURN_NONE;
    Operand x = {0}, k = {0};
    PyObject *result = Py_None;
    if (!operand(X, &x) || !operand(K, &k) || x.dtype != k.dtype
        || k.dev_type != 1 || x.rows == 0 || x.cols == 0 || k.rows == 0
        || k.cols == 0 || k.rows > x.rows || k.cols > x.cols)
        goto done;
    if (Py_TYPE(X) == (PyTypeObject *)mx.mx_type) {
        dev_type = x.dev_type;   /* the result goes to X's context */
        dev_id = x.dev_id;
    }
    if (dev_type != 1)
        goto done;
    Py_ssize_t oh = x.rows - k.rows + 1, ow = x.cols - k.cols + 1;
    double work = (double)oh * ow * k.rows * k.cols;
    if (work > most)
        goto done;
    void *out = NULL, *data = NULL;
    uint32_t sides32[2] = {(uint32_t)oh, (uint32_t)ow};
    int64_t sides64[2] = {oh, ow};
    if (mx.create(mx.int64 ? (const void *)sides64 : (const void *)sides32,
                  2, dev_type, dev_id, 0, x.dtype, &out) != 0)
        goto done;
    if (mx.get_data(out, &data) != 0) {
        mx.free_array(out);
        goto done;
    }
    if (work < KEEP_GIL_BELOW) {
        run_kernel(&x, &k, data, 0, oh);
    } else {
        Py_BEGIN_ALLOW_THREADS
        run_kernel(&x, &k, data, 0, oh);
        Py_END_ALLOW_THREADS
    }
    result = PyLong_FromVoidPtr(out);
    if (result == NULL)
        mx.free_array(out);
done:
    release(&x);
    release(&k);
    if (result == Py_None)
        Py_INCREF(Py_None);
    return result;
}

static PyObject *
correlate(PyObject *self, PyObject *args)
{
    PyObject *X, *K, *Y;
    Py_ssize_t start, stop;
    int threads = 1;
    if (!PyArg_ParseTuple(args, "OOOnn|i", &X, &K, &Y, &start, &stop,
                          &threads))
        return NULL;
    Operand x = {0}, k = {0}, y = {0};
    const char *why = NULL;
    if (!from_buffer(X, &x, 0) || !from_buffer(K, &k, 0))
        why = "X and K must be C-contiguous 2-D float32 or float64 arrays";
    else if (!from_buffer(Y, &y, 1))
        why = "Y must be a writable C-contiguous 2-D array";
    else if (x.dtype != k.dtype || y.dtype != x.dtype)
        why = "X, K and Y must have one dtype";
    else if (k.rows < 1 || k.cols < 1 || k.rows > x.rows
             || k.cols > x.cols || y.rows != x.rows - k.rows + 1
             || y.cols != x.cols - k.cols + 1)
        why = "K must fit in X, and Y be the valid output's shape";
    else if (start < 0 || stop > y.rows || start > stop)
        why = "rows start:stop must lie in Y";
    else if (threads < 1)
        why = "threads must be at least 1";
    if (why == NULL) {
        Py_BEGIN_ALLOW_THREADS
        run_shared(&x, &k, (void *)y.data, start, stop, threads);
        Py_END_ALLOW_THREADS
    }
    release(&x);
    release(&k);
    release(&y);
    if (why != NULL) {
        PyErr_Format(PyExc_ValueError, "corr2d_fast: %s", why);
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
pool_stats(PyObject *self, PyObject *unused)
{
    pthread_mutex_lock(&pool.lock);
    int started = pool.started;
    pthread_mutex_unlock(&pool.lock);
    return Py_BuildValue("il", started, atomic_load(&pool.taken));
}

static PyObject *
bind(PyObject *self, PyObject *args)
{
    PyObject *mx_type, *np_type;
    unsigned long long create, get_data, get_dtype, get_context, get_shape,
        wait_to_read, is_recording, free_array;
    int int64;
    if (!PyArg_ParseTuple(args, "OOKKKKKKKKp", &mx_type, &np_type, &create,
                          &get_data, &get_dtype, &get_context, &get_shape,
                          &wait_to_read, &is_recording, &free_array, &int64))
        return NULL;
    if (!PyType_Check(mx_type) || !PyType_Check(np_type)) {
        PyErr_SetString(PyExc_TypeError, "bind: two types expected");
        return NULL;
    }
    Py_XSETREF(mx.mx_type, Py_NewRef(mx_type));
    Py_XSETREF(mx.np_type, Py_NewRef(np_type));
    mx.create = (create_t)(uintptr_t)create;
    mx.get_data = (int (*)(void *, void **))(uintptr_t)get_data;
    mx.get_dtype = (int (*)(void *, int *))(uintptr_t)get_dtype;
    mx.get_context = (int (*)(void *, int *, int *))(uintptr_t)get_context;
    mx.get_shape = (int (*)(void *, int *, const void **))(uintptr_t)
        get_shape;
    mx.wait_to_read = (int (*)(void *))(uintptr_t)wait_to_read;
    mx.is_recording = (int (*)(bool *))(uintptr_t)is_recording;
    mx.free_array = (int (*)(void *))(uintptr_t)free_array;
    mx.int64 = int64;
    mx.bound = 1;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"correlate", correlate, METH_VARARGS,
     "correlate(X, K, Y, start, stop, threads=1): rows start:stop of "
     "the valid cross-correlation of X and K into Y, on `threads` "
     "threads; the GIL released once."},
    {"pool_stats", pool_stats, METH_NOARGS,
     "pool_stats(): (threads the pool has started, pieces of rows they "
     "have taken)."},
    {"small", small, METH_VARARGS,
     "small(X, K, dev_type, dev_id, most): a new MXNet array's handle "
     "holding corr2d_fast(X, K), or None where the call is not a plain "
     "one (see the module's source)."},
    {"bind", bind, METH_VARARGS,
     "bind(mx_type, np_type, *addresses, int64): binds MXNet's C API "
     "for small."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_direct",
    "The precompiled direct engine of corr2d_fast (see _direct.c).", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__direct(void)
{
    static int registered;
    if (!registered) {
        if (pthread_atfork(NULL, NULL, forget_pool) != 0) {
            PyErr_SetString(PyExc_ImportError,
                            "_direct: pthread_atfork failed");
            return NULL;
        }
        registered = 1;
    }
    return PyModule_Create(&module);
}
