/* A tiny C extension, so the image needs a compiler at build time (and only then). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *triangle(PyObject *self, PyObject *args) {
    long n;
    if (!PyArg_ParseTuple(args, "l", &n)) return NULL;
    return PyLong_FromLong(n * (n + 1) / 2);
}

static PyMethodDef methods[] = {{"triangle", triangle, METH_VARARGS, "n-th triangle number"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "fastsum", NULL, -1, methods};
PyMODINIT_FUNC PyInit_fastsum(void) { return PyModule_Create(&module); }
