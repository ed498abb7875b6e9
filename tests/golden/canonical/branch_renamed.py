# a copy, reformatted
import jax
import jax.numpy as jnp




def my_forward( my_lhs ,   my_rhs):
  """Added docstring."""
  my_tmp0 = jnp.maximum( my_rhs * my_lhs ,   my_lhs)
  return jnp.where( my_rhs + my_lhs >= 1.6 ,   my_tmp0 ,   jnp.where( my_lhs + my_tmp0 >= 1.9 ,   my_lhs + my_tmp0 ,   my_tmp0))  # was: return jnp.where(my_rhs + my_lhs >= 1.6, my_tmp0, jnp.where(my_lhs + my_tmp0 >= 1.9, my_lhs + my_tmp0, my_tmp0))
