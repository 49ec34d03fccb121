# Reference values for Seriatim's ARIMA against R's forecast package (8.x).
# Run from this directory:  Rscript arima_reference.R
# Writes series/*.csv (the classic series from R's datasets package) and fits.tsv / auto.tsv
# (long format: id <TAB> key <TAB> value), which the Java golden tests read.
suppressMessages(library(forecast))
options(digits = 17)
dir.create("series", showWarnings = FALSE)

iso_dates <- function(x) {
  f <- frequency(x); t <- time(x)
  year <- floor(t + 1e-8)
  if (f == 1) return(sprintf("%d-01-01", year))
  month <- round((t - year) * 12) + 1
  sprintf("%d-%02d-01", year, month)
}

export <- function(name, x) {
  write.table(data.frame(date = iso_dates(x), value = as.numeric(x)),
              file.path("series", paste0(name, ".csv")), sep = ",", quote = FALSE,
              row.names = FALSE, na = "NA")
}

series <- list(AirPassengers = AirPassengers, lynx = lynx, Nile = Nile, LakeHuron = LakeHuron,
               WWWusage = WWWusage, USAccDeaths = USAccDeaths, sunspot.year = sunspot.year,
               lh = lh, presidents = presidents, austres = austres, UKgas = UKgas,
               ldeaths = ldeaths, co2 = co2, nottem = nottem)
for (nm in names(series)) export(nm, series[[nm]])

out <- file("fits.tsv", "w")
emit <- function(id, key, value) cat(id, "\t", key, "\t", format(value, digits = 17), "\n", sep = "", file = out)

fit_one <- function(id, name, order, seasonal = c(0, 0, 0), mean = TRUE, drift = FALSE,
                    lambda = NULL, h = 12, log = FALSE) {
  x <- series[[name]]
  if (log) x <- log(x)
  m <- frequency(x)
  fit <- Arima(x, order = order, seasonal = list(order = seasonal, period = m),
               include.mean = mean, include.drift = drift, lambda = lambda)
  emit(id, "series", name); emit(id, "log", as.integer(log))
  emit(id, "order", paste(c(order, seasonal, m), collapse = ","))
  emit(id, "mean", as.integer(mean)); emit(id, "drift", as.integer(drift))
  if (!is.null(lambda)) emit(id, "lambda", lambda)
  se <- sqrt(diag(fit$var.coef))
  for (k in names(fit$coef)) { emit(id, paste0("coef.", k), fit$coef[[k]]); emit(id, paste0("se.", k), se[[k]]) }
  emit(id, "sigma2", fit$sigma2); emit(id, "loglik", fit$loglik)
  emit(id, "aic", fit$aic); emit(id, "aicc", fit$aicc); emit(id, "bic", fit$bic)
  emit(id, "nobs", fit$nobs)
  emit(id, "resid.sumsq", sum(residuals(fit)^2, na.rm = TRUE))
  fc <- forecast(fit, h = h, level = c(80, 95))
  for (s in seq_len(h)) {
    emit(id, paste0("fc.", s, ".mean"), fc$mean[s])
    emit(id, paste0("fc.", s, ".lo80"), fc$lower[s, 1]); emit(id, paste0("fc.", s, ".hi80"), fc$upper[s, 1])
    emit(id, paste0("fc.", s, ".lo95"), fc$lower[s, 2]); emit(id, paste0("fc.", s, ".hi95"), fc$upper[s, 2])
  }
}

fit_one("airline_log", "AirPassengers", c(0, 1, 1), c(0, 1, 1), log = TRUE, h = 24)
fit_one("lynx_ar2", "lynx", c(2, 0, 0))
fit_one("lynx_arma21", "lynx", c(2, 0, 1))
fit_one("nile_arima111", "Nile", c(1, 1, 1))
fit_one("nile_ar1", "Nile", c(1, 0, 0))
fit_one("lakehuron_ar2", "LakeHuron", c(2, 0, 0))
fit_one("lakehuron_arma11", "LakeHuron", c(1, 0, 1))
fit_one("wwwusage_arima310", "WWWusage", c(3, 1, 0))
fit_one("wwwusage_arima111_drift", "WWWusage", c(1, 1, 1), drift = TRUE)
fit_one("wwwusage_arima022", "WWWusage", c(0, 2, 2))
fit_one("usaccdeaths_airline", "USAccDeaths", c(0, 1, 1), c(0, 1, 1))
fit_one("usaccdeaths_sar", "USAccDeaths", c(1, 0, 0), c(1, 1, 0))
fit_one("sunspot_arma21", "sunspot.year", c(2, 0, 1))
fit_one("lh_ar3", "lh", c(3, 0, 0))
fit_one("presidents_ar1_missing", "presidents", c(1, 0, 0))
fit_one("presidents_arma11_missing", "presidents", c(1, 0, 1))
fit_one("austres_drift", "austres", c(1, 1, 0), drift = TRUE)
fit_one("ukgas_log_airline", "UKgas", c(0, 1, 1), c(0, 1, 1), log = TRUE)
fit_one("ldeaths_sarma", "ldeaths", c(1, 0, 1), c(1, 0, 0))
fit_one("co2_seasonal", "co2", c(1, 1, 1), c(0, 1, 1))
fit_one("nottem_sarma", "nottem", c(1, 0, 0), c(2, 0, 0))
fit_one("airpassengers_boxcox", "AirPassengers", c(0, 1, 1), c(0, 1, 1), lambda = 0.2)
close(out)

auto <- file("auto.tsv", "w")
for (nm in c("AirPassengers", "lynx", "Nile", "LakeHuron", "WWWusage", "USAccDeaths",
             "sunspot.year", "lh", "austres", "UKgas", "ldeaths", "nottem")) {
  for (sw in c(TRUE, FALSE)) {
    id <- paste0(nm, if (sw) ".stepwise" else ".exhaustive")
    fit <- auto.arima(series[[nm]], stepwise = sw)
    a <- fit$arma
    cat(id, "\torder\t", paste(c(a[1], a[6], a[2], a[3], a[7], a[4], a[5]), collapse = ","), "\n", sep = "", file = auto)
    cat(id, "\tconstant\t", as.integer(any(names(fit$coef) %in% c("intercept", "drift"))), "\n", sep = "", file = auto)
    cat(id, "\taicc\t", format(fit$aicc, digits = 17), "\n", sep = "", file = auto)
    cat(id, "\tndiffs\t", ndiffs(series[[nm]]), "\n", sep = "", file = auto)
    if (frequency(series[[nm]]) > 1)
      cat(id, "\tnsdiffs\t", nsdiffs(series[[nm]]), "\n", sep = "", file = auto)
  }
}
close(auto)
cat("R", R.version$major, R.version$minor, "forecast", as.character(packageVersion("forecast")), "\n",
    file = "VERSIONS")
