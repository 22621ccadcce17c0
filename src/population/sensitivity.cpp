#include "sensitivity.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace poreflux::population {

std::vector<double> ranks(const std::vector<double>& values) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> rank(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && values[order[j + 1]] == values[order[i]]) ++j;
    const double mean_rank = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = mean_rank;
    i = j + 1;
  }
  return rank;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0.0 || syy <= 0.0) return std::numeric_limits<double>::quiet_NaN();
  return sxy / std::sqrt(sxx * syy);
}

namespace {

// The subjects whose output and inputs are all finite (an enhancement over an intact
// baseline of zero is NaN): ranking a NaN would give it a place by subject order.
std::vector<std::size_t> finite_subjects(const std::vector<std::vector<double>>& inputs, const std::vector<double>& y) {
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < y.size(); ++i) {
    bool finite = std::isfinite(y[i]);
    for (const auto& x : inputs) finite = finite && std::isfinite(x[i]);
    if (finite) keep.push_back(i);
  }
  return keep;
}

std::vector<double> subset(const std::vector<double>& v, const std::vector<std::size_t>& keep) {
  std::vector<double> out;
  for (std::size_t i : keep) out.push_back(v[i]);
  return out;
}

constexpr std::size_t kMinSubjects = 3;

}  // namespace

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  const std::vector<std::size_t> keep = finite_subjects({x}, y);
  if (keep.size() < kMinSubjects) return std::numeric_limits<double>::quiet_NaN();
  return pearson(ranks(subset(x, keep)), ranks(subset(y, keep)));
}

std::vector<double> partial_rank_correlations(const std::vector<std::vector<double>>& all_inputs,
                                              const std::vector<double>& all_output) {
  const std::vector<std::size_t> keep = finite_subjects(all_inputs, all_output);
  std::vector<std::vector<double>> inputs;
  for (const auto& x : all_inputs) inputs.push_back(subset(x, keep));
  const std::vector<double> output = subset(all_output, keep);
  const std::size_t m = inputs.size(), n = output.size();
  std::vector<double> result(m, std::numeric_limits<double>::quiet_NaN());
  if (m == 0 || n < m + 2 || n < kMinSubjects) return result;  // too few subjects to remove m - 1 inputs and a mean
  Eigen::MatrixXd ranked(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(m));
  for (std::size_t j = 0; j < m; ++j) {
    const std::vector<double> r = ranks(inputs[j]);
    for (std::size_t i = 0; i < n; ++i) ranked(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = r[i];
  }
  const std::vector<double> ry = ranks(output);
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(ry.data(), static_cast<Eigen::Index>(n));
  for (std::size_t j = 0; j < m; ++j) {
    // The other inputs and a constant; the residuals of x_j and y after regressing on them.
    Eigen::MatrixXd others(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(m));
    others.col(0).setOnes();
    for (std::size_t k = 0, c = 1; k < m; ++k)
      if (k != j) others.col(static_cast<Eigen::Index>(c++)) = ranked.col(static_cast<Eigen::Index>(k));
    const auto qr = others.colPivHouseholderQr();
    const Eigen::VectorXd xj = ranked.col(static_cast<Eigen::Index>(j));
    const Eigen::VectorXd rx = xj - others * qr.solve(xj);
    const Eigen::VectorXd ryr = y - others * qr.solve(y);
    // A residual that is rounding noise (an output or input that does not vary beyond what the
    // others explain) has no correlation: compare with the centred ranks' size, not with 0.
    const double scale_x = (xj.array() - xj.mean()).matrix().norm();
    const double scale_y = (y.array() - y.mean()).matrix().norm();
    const double tiny = 1e-9;
    if (rx.norm() > tiny * scale_x && ryr.norm() > tiny * scale_y && scale_x > 0.0 && scale_y > 0.0)
      result[j] = rx.dot(ryr) / (rx.norm() * ryr.norm());
  }
  return result;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double position = p / 100.0 * static_cast<double>(values.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

}  // namespace poreflux::population
