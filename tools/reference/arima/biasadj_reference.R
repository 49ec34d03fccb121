# Reference values for Seriatim's bias-adjusted Box-Cox back-transformation against R forecast's
# forecast(Arima(..., lambda = L), biasadj = TRUE): the point forecast is the mean on the
# original scale, not the median. Run from this directory:  Rscript biasadj_reference.R -> biasadj.tsv
suppressMessages(library(forecast))
out <- file("biasadj.tsv", "w")
emit <- function(id, key, value) cat(id, "\t", key, "\t", format(value, digits = 17), "\n", sep = "", file = out)
for (lambda in c(0, 0.2, -0.3)) {
  id <- paste0("airline_lambda", lambda)
  fit <- Arima(AirPassengers, order = c(0, 1, 1), seasonal = c(0, 1, 1), lambda = lambda)
  adj <- forecast(fit, h = 24, level = c(80, 95), biasadj = TRUE)
  med <- forecast(fit, h = 24, level = c(80, 95), biasadj = FALSE)
  emit(id, "series", "AirPassengers"); emit(id, "order", "0,1,1,0,1,1,12"); emit(id, "lambda", lambda)
  emit(id, "loglik", fit$loglik)
  for (s in 1:24) {
    emit(id, paste0("fc.", s, ".mean"), adj$mean[s]); emit(id, paste0("fc.", s, ".median"), med$mean[s])
    emit(id, paste0("fc.", s, ".lo95"), adj$lower[s, 2]); emit(id, paste0("fc.", s, ".hi95"), adj$upper[s, 2])
  }
}
close(out)
