// A small `expected`-style result type for code that cannot use exceptions or the STL.
//
// `Result<T, E>` holds either a value or an error. It is [[nodiscard]]: ignoring an error is a
// compile error under -Werror. T and E must be default-constructible and cheap to copy (ids,
// addresses, small structs), which is all the kernel passes around this way.
#pragma once

namespace exo {

template <typename E> struct Err { E error; };
template <typename E> Err(E) -> Err<E>;

template <typename T, typename E> class [[nodiscard]] Result {
  public:
    // NOLINTNEXTLINE(google-explicit-constructor)
    constexpr Result(T value) : value_(value), ok_(true) {}
    // NOLINTNEXTLINE(google-explicit-constructor)
    constexpr Result(Err<E> e) : error_(e.error), ok_(false) {}

    constexpr bool ok() const { return ok_; }
    constexpr explicit operator bool() const { return ok_; }
    constexpr const T& value() const { return value_; }
    constexpr T& value() { return value_; }
    constexpr E error() const { return error_; }
    constexpr T value_or(T fallback) const { return ok_ ? value_ : fallback; }

  private:
    T value_{};
    E error_{};
    bool ok_;
};

} // namespace exo
