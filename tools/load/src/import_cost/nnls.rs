//! Non-negative least squares: the cost per call that best explains the blocks' times, with
//! no call allowed a negative cost (Lawson and Hanson's active-set method, on the normal
//! equations, which is exact enough for the few dozen calls of a runtime).

/// A least-squares fit whose coefficients are all zero or positive.
#[derive(Debug)]
pub struct NnlsFit {
	/// One coefficient per column, each ≥ 0.
	pub coefficients: Vec<f64>,
	/// Standard error of each coefficient the fit left free (positive), from the residual
	/// variance; `None` for coefficients held at zero, and for all when there are no more rows
	/// than free coefficients.
	pub standard_errors: Vec<Option<f64>>,
	/// Sum of the squared residuals.
	pub residual_sum_of_squares: f64,
}

/// Most passes of the outer loop per column, against cycling on degenerate data.
const MAX_PASSES_PER_COLUMN: usize = 3;

/// Minimizes `‖rows · x − targets‖` subject to `x ≥ 0`. Every row must have the same length
/// (the number of columns). A column that is a combination of columns already in the fit is
/// left at zero.
pub fn solve(rows: &[Vec<f64>], targets: &[f64]) -> NnlsFit {
	assert_eq!(rows.len(), targets.len(), "one target per row");
	let columns = rows.first().map_or(0, Vec::len);
	assert!(rows.iter().all(|row| row.len() == columns), "rows of equal length");

	let gram = gram_matrix(rows, columns);
	let correlations = correlations(rows, targets, columns);
	let scale = correlations.iter().fold(1.0f64, |max, c| max.max(c.abs()));
	let tolerance = 1e-10 * scale;

	let mut x = vec![0.0; columns];
	// Columns free to be positive (Lawson and Hanson's set P); the others are held at zero.
	let mut free: Vec<usize> = Vec::new();
	// Columns found to depend on the free ones: never tried again.
	let mut dependent: Vec<usize> = Vec::new();

	for _ in 0..MAX_PASSES_PER_COLUMN * columns.max(1) {
		let gradient = gradient(&gram, &correlations, &x);
		let entering = (0..columns)
			.filter(|j| !free.contains(j) && !dependent.contains(j))
			.filter(|&j| gradient[j] > tolerance)
			.max_by(|&a, &b| gradient[a].total_cmp(&gradient[b]));
		let Some(entering) = entering else { break };
		free.push(entering);

		// Inner loop: solve on the free columns; step back to the boundary while a free
		// coefficient would turn non-positive, and hold it at zero.
		loop {
			let Some(solution) = solve_restricted(&gram, &correlations, &free) else {
				// The column just added depends on the others: it explains nothing new.
				free.retain(|&j| j != entering);
				dependent.push(entering);
				break;
			};
			if solution.iter().all(|&s| s > 0.0) {
				for (&j, &s) in free.iter().zip(&solution) {
					x[j] = s;
				}
				break;
			}
			// Move towards the solution until the first free coefficient reaches zero.
			let (step, blocking) = free
				.iter()
				.zip(&solution)
				.filter(|(_, &s)| s <= 0.0)
				.map(|(&j, &s)| (if x[j] > s { x[j] / (x[j] - s) } else { 0.0 }, j))
				.min_by(|a, b| a.0.total_cmp(&b.0))
				.expect("some free coefficient is non-positive");
			for (&j, &s) in free.iter().zip(&solution) {
				x[j] += step * (s - x[j]);
			}
			x[blocking] = 0.0;
			let floor = 1e-12 * x.iter().fold(0.0f64, |max, v| max.max(v.abs()));
			free.retain(|&j| x[j] > floor);
			for j in (0..columns).filter(|j| !free.contains(j)) {
				x[j] = 0.0;
			}
			if free.is_empty() {
				break;
			}
		}
	}

	let residual_sum_of_squares = rows
		.iter()
		.zip(targets)
		.map(|(row, &target)| {
			let fitted: f64 = row.iter().zip(&x).map(|(a, b)| a * b).sum();
			(target - fitted).powi(2)
		})
		.sum();
	let standard_errors =
		standard_errors(&gram, &free, columns, rows.len(), residual_sum_of_squares);
	NnlsFit { coefficients: x, standard_errors, residual_sum_of_squares }
}

/// `Aᵀ·A` for the rows `A`.
fn gram_matrix(rows: &[Vec<f64>], columns: usize) -> Vec<Vec<f64>> {
	let mut gram = vec![vec![0.0; columns]; columns];
	for row in rows {
		for i in 0..columns {
			for j in 0..columns {
				gram[i][j] += row[i] * row[j];
			}
		}
	}
	gram
}

/// `Aᵀ·b` for the rows `A` and targets `b`.
fn correlations(rows: &[Vec<f64>], targets: &[f64], columns: usize) -> Vec<f64> {
	let mut correlations = vec![0.0; columns];
	for (row, &target) in rows.iter().zip(targets) {
		for j in 0..columns {
			correlations[j] += row[j] * target;
		}
	}
	correlations
}

/// `Aᵀ·(b − A·x)`: how much each coefficient's increase would reduce the residual.
fn gradient(gram: &[Vec<f64>], correlations: &[f64], x: &[f64]) -> Vec<f64> {
	correlations
		.iter()
		.zip(gram)
		.map(|(c, gram_row)| c - gram_row.iter().zip(x).map(|(g, v)| g * v).sum::<f64>())
		.collect()
}

/// The unconstrained least-squares solution on columns `free` alone (the others at zero),
/// in the order of `free`; `None` when those columns are linearly dependent.
fn solve_restricted(gram: &[Vec<f64>], correlations: &[f64], free: &[usize]) -> Option<Vec<f64>> {
	let matrix: Vec<Vec<f64>> =
		free.iter().map(|&i| free.iter().map(|&j| gram[i][j]).collect()).collect();
	let rhs: Vec<f64> = free.iter().map(|&i| correlations[i]).collect();
	solve_linear(matrix, rhs)
}

/// Solves `matrix · x = rhs` by Gaussian elimination with partial pivoting; `None` when the
/// matrix is singular (a pivot vanishes next to the matrix's largest diagonal entry).
fn solve_linear(mut matrix: Vec<Vec<f64>>, mut rhs: Vec<f64>) -> Option<Vec<f64>> {
	let n = rhs.len();
	let largest = matrix.iter().enumerate().fold(0.0f64, |max, (i, row)| max.max(row[i].abs()));
	let singular_below = 1e-12 * largest.max(f64::MIN_POSITIVE);
	for col in 0..n {
		let pivot =
			(col..n).max_by(|&a, &b| matrix[a][col].abs().total_cmp(&matrix[b][col].abs()))?;
		if matrix[pivot][col].abs() <= singular_below {
			return None;
		}
		matrix.swap(col, pivot);
		rhs.swap(col, pivot);
		for row in col + 1..n {
			let factor = matrix[row][col] / matrix[col][col];
			for k in col..n {
				matrix[row][k] -= factor * matrix[col][k];
			}
			rhs[row] -= factor * rhs[col];
		}
	}
	let mut x = vec![0.0; n];
	for row in (0..n).rev() {
		let tail: f64 = (row + 1..n).map(|k| matrix[row][k] * x[k]).sum();
		x[row] = (rhs[row] - tail) / matrix[row][row];
	}
	Some(x)
}

/// Standard errors of the free coefficients: `sqrt(σ² · (AᵀA)⁻¹ᵢᵢ)` over the free columns,
/// with `σ² = RSS / (rows − free)`.
fn standard_errors(
	gram: &[Vec<f64>],
	free: &[usize],
	columns: usize,
	rows: usize,
	residual_sum_of_squares: f64,
) -> Vec<Option<f64>> {
	let mut errors = vec![None; columns];
	if rows <= free.len() {
		return errors;
	}
	let variance = residual_sum_of_squares / (rows - free.len()) as f64;
	let matrix: Vec<Vec<f64>> =
		free.iter().map(|&i| free.iter().map(|&j| gram[i][j]).collect()).collect();
	for (position, &column) in free.iter().enumerate() {
		let mut unit = vec![0.0; free.len()];
		unit[position] = 1.0;
		if let Some(inverse_column) = solve_linear(matrix.clone(), unit) {
			errors[column] = Some((variance * inverse_column[position].max(0.0)).sqrt());
		}
	}
	errors
}

#[cfg(test)]
mod tests {
	use super::*;

	fn close(a: f64, b: f64) -> bool {
		(a - b).abs() <= 1e-9 * (1.0 + b.abs())
	}

	#[test]
	fn recovers_exact_positive_costs() {
		let costs = [120.0, 35.5, 800.0];
		let rows = vec![
			vec![3.0, 0.0, 1.0],
			vec![0.0, 10.0, 0.0],
			vec![5.0, 2.0, 0.0],
			vec![1.0, 1.0, 4.0],
			vec![0.0, 0.0, 2.0],
		];
		let targets: Vec<f64> =
			rows.iter().map(|r| r.iter().zip(&costs).map(|(a, c)| a * c).sum()).collect();
		let fit = solve(&rows, &targets);
		for (found, expected) in fit.coefficients.iter().zip(costs) {
			assert!(close(*found, expected), "{found} != {expected}");
		}
		assert!(fit.residual_sum_of_squares < 1e-9);
		assert!(fit.standard_errors.iter().all(|e| e.is_some_and(|e| e < 1e-6)));
	}

	#[test]
	fn holds_at_zero_what_unconstrained_fitting_makes_negative() {
		// Unconstrained least squares gives (2, −1); with x ≥ 0 the best is (1.5, 0).
		let rows = vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 1.0]];
		let fit = solve(&rows, &[2.0, -1.0, 1.0]);
		assert!(close(fit.coefficients[0], 1.5), "{:?}", fit.coefficients);
		assert_eq!(fit.coefficients[1], 0.0);
		assert!(close(fit.residual_sum_of_squares, 1.5));
		assert!(fit.standard_errors[0].is_some());
		assert_eq!(fit.standard_errors[1], None);
	}

	#[test]
	fn leaves_a_dependent_column_at_zero() {
		// The second column always equals the first: only their sum is identifiable.
		let rows = vec![vec![1.0, 1.0], vec![2.0, 2.0], vec![3.0, 3.0]];
		let fit = solve(&rows, &[10.0, 20.0, 30.0]);
		let total: f64 = fit.coefficients.iter().sum();
		assert!(close(total, 10.0), "{:?}", fit.coefficients);
		assert!(fit.coefficients.contains(&0.0));
	}

	#[test]
	fn no_columns_or_no_rows_give_an_empty_fit() {
		let fit = solve(&[], &[]);
		assert!(fit.coefficients.is_empty());
		let fit = solve(&[vec![], vec![]], &[1.0, 2.0]);
		assert!(fit.coefficients.is_empty());
		assert!(close(fit.residual_sum_of_squares, 5.0));
	}
}
