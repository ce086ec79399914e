"""∂(xᵀAx)/∂xₖ written as 2(Ax)ₖ.

The gradient of xᵀAx is (A + Aᵀ)x; 2Ax holds only for a symmetric A, which is not declared.
"""

from sympy import Derivative, Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("quadratic_form_gradient_2Ax", __doc__)
n = d.size("n")
i = d.index("i", n, "summed over")
j = d.index("j", n, "summed over")
k = d.index("k", n, "the coordinate we differentiate by")
A = d.matrix("A", n, n)
x = d.vector("x", n)

with evaluate(False):
    d.start(Derivative(Sum(Sum(x[i] * A[i, j] * x[j], (j, 1, n)), (i, 1, n)), x[k]))
    d.step(2 * Sum(A[k, j] * x[j], (j, 1, n)), "(xᵀAx)′ = 2Ax")
