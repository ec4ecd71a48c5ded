// The few type traits and concepts the kernel needs; <concepts> is not available in the
// freestanding kernel (there is no C++ standard library for the targets).
#pragma once

namespace exo {

template <typename A, typename B>
concept same_as = __is_same(A, B) && __is_same(B, A);

template <typename From, typename To>
concept convertible_to = __is_convertible_to(From, To);

} // namespace exo
