# Reference values for Seriatim's auto.arima with regressors (regression with ARIMA errors)
# against R forecast's auto.arima(y, xreg = X). Run from this directory:
#   Rscript xreg_reference.R  -> series/xreg_*.csv (the data, as read back by both sides) and xreg.tsv
# The simulated series are seeded; values are rounded to 6 decimals and R fits what it wrote.
suppressMessages(library(forecast))
dir.create("series", showWarnings = FALSE)

write_case <- function(name, y, X) {
  f <- frequency(y); t <- time(y); year <- floor(t + 1e-8)
  date <- if (f == 1) sprintf("%d-01-01", year) else sprintf("%d-%02d-01", year, round((t - year) * f) + 1)
  d <- data.frame(date = date, value = round(as.numeric(y), 6), round(X, 6))
  path <- file.path("series", paste0(name, ".csv"))
  write.table(d, path, sep = ",", quote = FALSE, row.names = FALSE)
  back <- read.csv(path)
  list(y = ts(back$value, start = start(y), frequency = f), X = as.matrix(back[, colnames(X), drop = FALSE]))
}

set.seed(20261128)
cases <- list()
# Lake Huron's level with a linear trend in the year (Brockwell & Davis's regression with AR errors).
cases$xreg_lakehuron <- write_case("xreg_lakehuron", LakeHuron, cbind(year = as.numeric(time(LakeHuron))))
# A stationary AR(1) error around a regression on one regressor.
n <- 120
x1 <- rnorm(n, 5, 2)
cases$xreg_ar1 <- write_case("xreg_ar1", ts(3 + 1.5 * x1 + arima.sim(list(ar = 0.6), n), start = 1901), cbind(x1 = x1))
# Monthly: a seasonal pattern, two regressors (one trending) and ARIMA(0,1,1) errors.
n <- 144
temp <- 10 + 8 * sin(2 * pi * (1:n) / 12) + rnorm(n)
promo <- as.numeric(runif(n) < 0.2)
err <- arima.sim(list(order = c(0, 1, 1), ma = -0.5), n - 1)
cases$xreg_monthly <- write_case("xreg_monthly", ts(100 + 2 * temp + 5 * promo + err, start = c(2010, 1), frequency = 12),
                                 cbind(temp = temp, promo = promo))
# A random walk with drift plus one regressor: drift and the regressor together (d = 1).
n <- 100
z <- rnorm(n)
cases$xreg_drift <- write_case("xreg_drift", ts(cumsum(0.8 + rnorm(n)) + 3 * z, start = 1921), cbind(z = z))

out <- file("xreg.tsv", "w")
emit <- function(id, key, value) cat(id, "\t", key, "\t", format(value, digits = 17), "\n", sep = "", file = out)
for (id in names(cases)) {
  cs <- cases[[id]]
  fit <- auto.arima(cs$y, xreg = cs$X)
  a <- fit$arma
  emit(id, "frequency", frequency(cs$y))
  emit(id, "xreg", paste(colnames(cs$X), collapse = ","))
  emit(id, "order", paste(c(a[1], a[6], a[2], a[3], a[7], a[4], a[5]), collapse = ","))
  emit(id, "constant", as.integer(any(names(fit$coef) %in% c("intercept", "drift"))))
  emit(id, "loglik", fit$loglik); emit(id, "aicc", fit$aicc); emit(id, "sigma2", fit$sigma2)
  for (k in names(fit$coef)) emit(id, paste0("coef.", k), fit$coef[[k]])
  if (id == "xreg_lakehuron") {
    fc <- forecast(fit, xreg = cbind(year = 1973:1975), level = 95)
    for (s in 1:3) { emit(id, paste0("fc.", s, ".mean"), fc$mean[s]); emit(id, paste0("fc.", s, ".hi95"), fc$upper[s, 1]) }
  }
}
close(out)
